# mccig_add_plugin(NAME SOURCES...) — a channel plugin as the host expects it:
# a MODULE library with hidden symbols (only the descriptor is exported, via
# BOOST_DLL_ALIAS) linked against the SDK.
function(mccig_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX "lib")
  target_link_libraries(${name} PRIVATE MccigSdk::sdk)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
endfunction()
