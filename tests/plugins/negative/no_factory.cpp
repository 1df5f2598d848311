// no_factory.cpp — a shared library that exports no plugin descriptor.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int mccig_something_else() {
  return 42;
}
