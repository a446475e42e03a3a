/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The Realtime protocol as pure functions: client events are built as JSON
 * strings, server events are parsed into small C structs. No I/O and no
 * GStreamer objects here, so this layer is unit-tested and fuzzed alone. */

#ifndef __GST_REALTIME_PROTOCOL_H__
#define __GST_REALTIME_PROTOCOL_H__

#include <glib.h>
#include "gstrealtimeenums.h"

G_BEGIN_DECLS

#define GST_REALTIME_PROTOCOL_ERROR (gst_realtime_protocol_error_quark ())
GQuark gst_realtime_protocol_error_quark (void);

typedef enum
{
  GST_REALTIME_PROTOCOL_ERROR_MALFORMED,        /* not JSON, or not an object */
  /* a known event with a missing or wrongly typed field */
  GST_REALTIME_PROTOCOL_ERROR_INVALID,
} GstRealtimeProtocolError;

/* Input and output audio format of a session. */
typedef enum
{
  GST_REALTIME_AUDIO_FORMAT_PCM16,      /* S16LE mono 24 kHz */
  GST_REALTIME_AUDIO_FORMAT_PCMU,       /* G.711 mu-law 8 kHz */
  GST_REALTIME_AUDIO_FORMAT_PCMA,       /* G.711 A-law 8 kHz */
} GstRealtimeAudioFormat;

typedef struct
{
  GstRealtimeTurnDetection type;
  gdouble threshold;            /* server VAD, 0.0 - 1.0 */
  gint prefix_padding_ms;       /* server VAD */
  gint silence_duration_ms;     /* server VAD */
  gint idle_timeout_ms;         /* server VAD; 0 omits it (GA only) */
  GstRealtimeEagerness eagerness;       /* semantic VAD */
  gboolean create_response;
  gboolean interrupt_response;
} GstRealtimeTurnDetectionConfig;

/* Everything a session.update carries, in either dialect. Strings may be
 * NULL or empty, which omits the field. */
typedef struct
{
  GstRealtimeProtocolVersion dialect;   /* GA or BETA, never AUTO */
  GstRealtimeSessionType session_type;
  const gchar *instructions;
  const gchar *voice;
  GstRealtimeOutputModality output_modality;
  GstRealtimeAudioFormat input_format;
  GstRealtimeAudioFormat output_format;
  GstRealtimeTurnDetectionConfig turn_detection;
  /* input transcription; a NULL or empty model turns it off */
  const gchar *transcription_model;
  const gchar *transcription_language;
  const gchar *transcription_prompt;
  /* GA only: the languages to expect and vocabulary hints, each a
   * comma-separated list (NULL or empty omits it), and how long the model
   * waits before it emits text */
  const gchar *transcription_languages;
  const gchar *transcription_keywords;
  GstRealtimeTranscriptionDelay transcription_delay;
  GstRealtimeNoiseReduction noise_reduction;
  /* GA only, with noise reduction on: 0.0 - 1.0; negative omits it */
  gdouble noise_reduction_strength;
  /* a JSON array of tool definitions, already validated; NULL omits it */
  const gchar *tools;
  /* "auto", "none", "required", or the name of one function */
  const gchar *tool_choice;
} GstRealtimeSessionConfig;

void gst_realtime_session_config_init (GstRealtimeSessionConfig * config);

/* Client events. Each returns a newly allocated JSON object string that
 * carries @event_id. Those whose shape differs between the dialects take
 * @dialect (GA or BETA). */
/* A TRANSLATION @config gives the translation session.update of its input
 * settings (transcription model, noise reduction), whatever the dialect;
 * the target language is gst_realtime_protocol_build_translation_update's
 * (below), which the translation core sends. */
gchar *gst_realtime_protocol_build_session_update (const
    GstRealtimeSessionConfig * config, const gchar * event_id);
gchar *gst_realtime_protocol_build_append (const guint8 * audio, gsize size,
    const gchar * event_id);
gchar *gst_realtime_protocol_build_commit (const gchar * event_id);
gchar *gst_realtime_protocol_build_clear (const gchar * event_id);
/* @overrides: NULL, or a JSON object validated with
 * gst_realtime_protocol_validate_response_overrides(), written in the GA
 * shape; in BETA, output_modalities becomes modalities (["audio"] becoming
 * ["text","audio"]), max_output_tokens max_response_output_tokens, audio
 * output_audio_format and voice, a function tool_choice its name, and what
 * the beta cannot say (a voice {id}, an MCP tool_choice) is dropped. */
gchar *gst_realtime_protocol_build_response_create (const gchar * event_id,
    GstRealtimeProtocolVersion dialect, const gchar * overrides);
gchar *gst_realtime_protocol_build_response_cancel (const gchar * event_id,
    const gchar * response_id);
gchar *gst_realtime_protocol_build_item_truncate (const gchar * event_id,
    const gchar * item_id, guint content_index, guint audio_end_ms);
/* conversation.item.create of a function_call_output item; @output is sent
 * as the item's output string */
gchar *gst_realtime_protocol_build_function_call_output (const gchar *
    event_id, const gchar * call_id, const gchar * output);
/* conversation.item.create of a text message, from the user or (with
 * @assistant) the assistant: how a conversation moves to a new session */
gchar *gst_realtime_protocol_build_text_message (const gchar * event_id,
    GstRealtimeProtocolVersion dialect, gboolean assistant,
    const gchar * text);
/* An application's raw client event: @json must be a JSON object with a
 * string "type". The result carries @event_id unless @json has its own
 * event_id; @used_event_id (optional) returns the one it carries. */
gchar *gst_realtime_protocol_prepare_client_event (const gchar * json,
    const gchar * event_id, gchar ** used_event_id, GError ** error);

/* Validation of what applications hand the element, with an error message
 * that says what is wrong. Tools: a JSON array of objects, each with
 * "type" "function" and a non-empty string "name" (and, if present, an
 * object "parameters" and a string "description"; nothing else), or "type"
 * "mcp" and a "server_label". */
gboolean gst_realtime_protocol_validate_tools (const gchar * json,
    GError ** error);
/* Response overrides: a JSON object whose members are among conversation
 * ("auto" or "none"), instructions (string), metadata (object of at most
 * 16 string values; keys up to 64 characters, values up to 512),
 * output_modalities (["audio"] or ["text"]), input (array), tools (array,
 * as above), tool_choice ("auto", "none", "required", or a function or MCP
 * choice object), max_output_tokens (1 to 4096, or "inf"), audio
 * (object). */
gboolean gst_realtime_protocol_validate_response_overrides (const gchar *
    json, GError ** error);
/* Whether overrides (valid, or NULL) ask for an out-of-band response */
gboolean gst_realtime_protocol_overrides_out_of_band (const gchar * json);
/* Returns @overrides (NULL means {}) with metadata member @key set to
 * @value, newly allocated. */
gchar *gst_realtime_protocol_overrides_add_metadata (const gchar * overrides,
    const gchar * key, const gchar * value);

/* Translation sessions (/v1/realtime/translations) have client events of
 * their own. What a session.update of one carries: the target language,
 * and the input settings fixed at connect time. */
typedef struct
{
  const gchar *language;        /* target language, e.g. "fr"; NULL omits */
  /* the source transcript's model; NULL or empty: no source transcript */
  const gchar *transcription_model;
  GstRealtimeNoiseReduction noise_reduction;    /* OFF is sent as null */
  gdouble noise_reduction_strength;     /* 0.0 - 1.0; negative omits it */
} GstRealtimeTranslationConfig;

void gst_realtime_translation_config_init (GstRealtimeTranslationConfig *
    config);

/* session.update with the whole of @config: the first one of a session */
gchar *gst_realtime_protocol_build_translation_update (const
    GstRealtimeTranslationConfig * config, const gchar * event_id);
/* session.update of the target language alone, for a change while the
 * session runs (the input settings cannot change) */
gchar *gst_realtime_protocol_build_translation_language (const gchar *
    language, const gchar * event_id);
/* session.input_audio_buffer.append of PCM16 24 kHz mono, base64-encoded
 * in place like gst_realtime_protocol_build_append() */
gchar *gst_realtime_protocol_build_translation_append (const guint8 * audio,
    gsize size, const gchar * event_id);
/* session.close: the server flushes, answers, then sends session.closed */
gchar *gst_realtime_protocol_build_session_close (const gchar * event_id);

typedef enum
{
  GST_REALTIME_EVENT_UNKNOWN,
  GST_REALTIME_EVENT_ERROR,
  GST_REALTIME_EVENT_SESSION_CREATED,
  GST_REALTIME_EVENT_SESSION_UPDATED,
  GST_REALTIME_EVENT_SPEECH_STARTED,
  GST_REALTIME_EVENT_SPEECH_STOPPED,
  GST_REALTIME_EVENT_INPUT_COMMITTED,
  GST_REALTIME_EVENT_INPUT_CLEARED,
  GST_REALTIME_EVENT_ITEM_ADDED,
  GST_REALTIME_EVENT_ITEM_DONE,
  GST_REALTIME_EVENT_ITEM_TRUNCATED,
  GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA,
  GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED,
  GST_REALTIME_EVENT_RESPONSE_CREATED,
  GST_REALTIME_EVENT_RESPONSE_DONE,
  GST_REALTIME_EVENT_AUDIO_DELTA,
  GST_REALTIME_EVENT_AUDIO_DONE,
  GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA,
  GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE,
  GST_REALTIME_EVENT_TEXT_DELTA,
  GST_REALTIME_EVENT_TEXT_DONE,
  GST_REALTIME_EVENT_RATE_LIMITS_UPDATED,
  GST_REALTIME_EVENT_INPUT_TRANSCRIPT_FAILED,
  GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE,
  GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED,
  GST_REALTIME_EVENT_OUTPUT_ITEM_DONE,
  GST_REALTIME_EVENT_CONVERSATION_ITEM_DELETED,
  GST_REALTIME_EVENT_INPUT_TIMEOUT_TRIGGERED,
  GST_REALTIME_EVENT_INPUT_TRANSCRIPT_SEGMENT,
  GST_REALTIME_EVENT_DTMF_RECEIVED,
  GST_REALTIME_EVENT_MCP_LIST_TOOLS_COMPLETED,
  GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED,
  GST_REALTIME_EVENT_MCP_CALL_COMPLETED,
  GST_REALTIME_EVENT_MCP_CALL_FAILED,
  /* translation sessions: session.closed, session.output_audio.delta
   * (translated audio), session.output_transcript.delta (translated text),
   * session.input_transcript.delta (the source transcript) */
  GST_REALTIME_EVENT_SESSION_CLOSED,
  GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA,
  GST_REALTIME_EVENT_TRANSLATION_TEXT_DELTA,
  GST_REALTIME_EVENT_TRANSLATION_SOURCE_DELTA,
} GstRealtimeEventType;

/* One entry of rate_limits.updated; a missing field is NULL or -1. */
typedef struct
{
  gchar *name;                  /* "tokens", "requests" */
  gint64 limit;
  gint64 remaining;
  gdouble reset_seconds;
} GstRealtimeRateLimit;

/* A parsed server event. Fields a given event does not carry are NULL, or
 * -1 for the numeric ones. */
typedef struct
{
  GstRealtimeEventType type;
  gchar *type_name;             /* the "type" string as received */
  gchar *event_id;

  gchar *session_id;            /* session.created/updated */
  gint64 expires_at;            /* session.created/updated, epoch seconds */

  gchar *item_id;
  gchar *previous_item_id;
  gchar *item_role;             /* item.added/done: "user", "assistant", ... */
  gchar *response_id;
  gint output_index;
  gint content_index;
  gint64 audio_start_ms;        /* speech_started, timeout_triggered */
  gint64 audio_end_ms;          /* speech_stopped, item.truncated,
                                 * timeout_triggered */

  gchar *text;                  /* a delta, or the final text/transcript */
  guint8 *audio;                /* decoded audio delta */
  gsize audio_size;

  /* translation deltas: the model time (ms of appended audio) of the
   * 200 ms frame the output derives from, rounded, -1 when absent or null;
   * an audio delta's sample_rate and channels (-1 when absent) and format
   * ("pcm16", NULL when absent) */
  gint64 elapsed_ms;
  gint64 sample_rate;
  gint64 channels;
  gchar *audio_format;

  gchar *status;                /* response.done: completed, cancelled, ... */
  gchar *status_reason;         /* response.done: turn_detected, ... */
  /* response.created/done: the response's metadata as a JSON object
   * string, or NULL; its conversation_id, NULL when absent or null */
  gchar *metadata;
  gchar *conversation_id;
  /* response.done usage, -1 when absent */
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 total_tokens;
  /* response.done usage details; transcription completed carries the
   * input_tokens, output_tokens, total_tokens and input audio and text
   * tokens of its "tokens" usage, or usage_seconds; -1 when absent */
  gint64 input_cached_tokens;
  gint64 input_audio_tokens;
  gint64 input_text_tokens;
  gint64 input_image_tokens;
  gint64 output_audio_tokens;
  gint64 output_text_tokens;
  gdouble usage_seconds;
  /* input_audio_transcription.completed: the detected language codes,
   * NULL-terminated, or NULL */
  gchar **languages;

  /* input_audio_transcription.segment (diarizing models): its id, speaker
   * and times in seconds (-1 when absent); the text is in text */
  gchar *segment_id;
  gchar *speaker;
  gdouble segment_start;
  gdouble segment_end;

  /* input_audio_buffer.dtmf_event_received: the key, and when (-1 when
   * absent) */
  gchar *dtmf_event;
  gdouble dtmf_received_at;

  /* items of type mcp_call and mcp_list_tools (item.added/done,
   * output_item.*): the MCP server; name holds the tool */
  gchar *server_label;

  /* function_call_arguments.done, and output_item.added/done of a
   * function_call item (item_type "function_call") */
  gchar *item_type;             /* item.added/done, output_item.*: "message",
                                 * "function_call", ... */
  gchar *call_id;
  gchar *name;
  gchar *arguments;

  /* rate_limits.updated */
  GstRealtimeRateLimit *rate_limits;
  guint n_rate_limits;

  /* error events, and failed responses */
  gchar *error_type;
  gchar *error_code;
  gchar *error_message;
  gchar *error_param;
  gchar *error_event_id;        /* the client event that caused it */
} GstRealtimeServerEvent;

/* WebSocket close codes the element tells apart (RFC 6455, IANA). */
typedef enum
{
  GST_REALTIME_CLOSE_NONE = 0,
  GST_REALTIME_CLOSE_GOING_AWAY = 1001,
  GST_REALTIME_CLOSE_PROTOCOL_ERROR = 1002,
  GST_REALTIME_CLOSE_NO_STATUS = 1005,
  GST_REALTIME_CLOSE_ABNORMAL = 1006,
  GST_REALTIME_CLOSE_SERVER_ERROR = 1011,
  GST_REALTIME_CLOSE_SERVICE_RESTART = 1012,
  GST_REALTIME_CLOSE_TRY_AGAIN_LATER = 1013,
  /* IANA's "Unauthorized" and "Forbidden"; OpenAI closes with 3000 when
   * the handshake let a missing key through */
  GST_REALTIME_CLOSE_UNAUTHORIZED = 3000,
  GST_REALTIME_CLOSE_FORBIDDEN = 3003,
} GstRealtimeCloseCode;

/* Parses either dialect: beta event names (response.audio.delta,
 * response.text.delta, conversation.item.created,
 * transcription_session.created, ...) map to the same types as their GA
 * equivalents. */
GstRealtimeServerEvent *gst_realtime_protocol_parse (const gchar * data,
    gsize size, GError ** error);
void gst_realtime_server_event_free (GstRealtimeServerEvent * event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRealtimeServerEvent,
    gst_realtime_server_event_free)

G_END_DECLS

#endif /* __GST_REALTIME_PROTOCOL_H__ */
