// voice_plugin.cpp — transcribed call segments from voice transcription services.
//
// provider_message_id = callId, or callId:segmentId when the service splits a
// call into segments, so every segment of a call is stored once.
#include <mccig/sdk/export.h>

namespace {

using mccig::sdk::ChannelType;
using mccig::sdk::FieldSpec;
using mccig::sdk::FieldType;
using mccig::sdk::PluginInfo;

class VoicePlugin {
 public:
  static PluginInfo Describe() {
    return PluginInfo{
        .name = "voice",
        .version = "1.0.0",
        .description = "call transcripts from voice transcription services",
        .channel = ChannelType::kVoice,
        .routes = {"voice"},
        .fields =
            {
                mccig::sdk::TenantIdField(),
                FieldSpec{.name = "callId",
                          .required = true,
                          .min_length = 1,
                          .max_length = 128,
                          .description = "the call's id at the provider",
                          .example = "call-9001"},
                FieldSpec{.name = "transcript_text",
                          .required = true,
                          .max_length = 1000000,
                          .description = "the transcribed speech",
                          .example = "I'd like to check my order status."},
                FieldSpec{.name = "confidence",
                          .type = FieldType::kNumber,
                          .required = true,
                          .minimum = 0.0,
                          .maximum = 1.0,
                          .description = "transcription confidence, 0 to 1",
                          .example = 0.93},
                FieldSpec{.name = "duration",
                          .type = FieldType::kNumber,
                          .minimum = 0.0,
                          .description = "length of the audio in seconds",
                          .example = 12.5},
                FieldSpec{.name = "timestamp",
                          .type = FieldType::kTimestamp,
                          .description = "when the speech started",
                          .example = "2024-05-01T12:00:00Z"},
                FieldSpec{.name = "segmentId",
                          .min_length = 1,
                          .max_length = 128,
                          .description = "the segment within the call, for split transcripts",
                          .example = "seg-3"},
                FieldSpec{.name = "metadata",
                          .type = FieldType::kObject,
                          .description = "caller-defined attributes, kept as metadata.attributes",
                          .example = {{"language", "en"}}},
            },
        .mapping = {.content_field = "transcript_text",
                    .timestamp_field = "timestamp",
                    .message_id = {.join = {"callId", "segmentId"}},
                    .metadata = {{"callId", "call_id"},
                                 {"confidence", "confidence"},
                                 {"duration", "duration"},
                                 {"segmentId", "segment_id"},
                                 {"metadata", "attributes"}}},
    };
  }
};

}  // namespace

MCCIG_PLUGIN(VoicePlugin)
