/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimesettings.h"
#include "gstrealtimei18n.h"

GST_DEBUG_CATEGORY_EXTERN (gst_realtime_ai_debug);
#define GST_CAT_DEFAULT gst_realtime_ai_debug

/* the server accepts idle timeouts in this range only */
#define MIN_IDLE_TIMEOUT 5000
#define MAX_IDLE_TIMEOUT 30000

enum
{
  PROP_INSTRUCTIONS = GST_REALTIME_SETTINGS_FIRST_PROP,
  PROP_VOICE,
  PROP_OUTPUT_MODALITIES,
  PROP_SESSION_TYPE,
  PROP_TEXT_OUTPUT,
  PROP_TURN_DETECTION,
  PROP_VAD_THRESHOLD,
  PROP_PREFIX_PADDING,
  PROP_SILENCE_DURATION,
  PROP_IDLE_TIMEOUT,
  PROP_EAGERNESS,
  PROP_CREATE_RESPONSE,
  PROP_INTERRUPT_RESPONSE,
  PROP_TRANSCRIPTION_MODEL,
  PROP_TRANSCRIPTION_LANGUAGE,
  PROP_TRANSCRIPTION_PROMPT,
  PROP_NOISE_REDUCTION,
  PROP_TOOLS,
  PROP_TOOL_CHOICE,
  PROP_TRANSCRIPTION_LANGUAGES,
  PROP_TRANSCRIPTION_KEYWORDS,
  PROP_TRANSCRIPTION_DELAY,
  PROP_NOISE_REDUCTION_STRENGTH,
  PROP_LAST
};

/* How each property is stored, so get and set need no case per property. */
typedef enum
{
  KIND_STRING,
  KIND_ENUM,
  KIND_BOOLEAN,
  KIND_UINT,
  KIND_DOUBLE,
} Kind;

typedef struct
{
  Kind kind;
  gsize offset;
} Field;

#define FIELD(kind, member) \
    {kind, G_STRUCT_OFFSET (GstRealtimeSettings, member)}

static const Field fields[PROP_LAST - GST_REALTIME_SETTINGS_FIRST_PROP] = {
  FIELD (KIND_STRING, instructions),
  FIELD (KIND_STRING, voice),
  FIELD (KIND_ENUM, output_modality),
  FIELD (KIND_ENUM, session_type),
  FIELD (KIND_ENUM, text_output),
  FIELD (KIND_ENUM, turn_detection.type),
  FIELD (KIND_DOUBLE, turn_detection.threshold),
  FIELD (KIND_UINT, turn_detection.prefix_padding_ms),
  FIELD (KIND_UINT, turn_detection.silence_duration_ms),
  FIELD (KIND_UINT, turn_detection.idle_timeout_ms),
  FIELD (KIND_ENUM, turn_detection.eagerness),
  FIELD (KIND_BOOLEAN, turn_detection.create_response),
  FIELD (KIND_BOOLEAN, turn_detection.interrupt_response),
  FIELD (KIND_STRING, transcription_model),
  FIELD (KIND_STRING, transcription_language),
  FIELD (KIND_STRING, transcription_prompt),
  FIELD (KIND_ENUM, noise_reduction),
  FIELD (KIND_STRING, tools),
  FIELD (KIND_STRING, tool_choice),
  FIELD (KIND_STRING, transcription_languages),
  FIELD (KIND_STRING, transcription_keywords),
  FIELD (KIND_ENUM, transcription_delay),
  FIELD (KIND_DOUBLE, noise_reduction_strength),
};

void
gst_realtime_settings_init (GstRealtimeSettings * settings)
{
  GstRealtimeSessionConfig defaults;

  memset (settings, 0, sizeof (*settings));
  gst_realtime_session_config_init (&defaults);
  settings->output_modality = defaults.output_modality;
  settings->session_type = defaults.session_type;
  settings->turn_detection = defaults.turn_detection;
  settings->noise_reduction = defaults.noise_reduction;
  settings->noise_reduction_strength = defaults.noise_reduction_strength;
  settings->text_output = GST_REALTIME_TEXT_OUTPUT_REPLIES;
  settings->tool_choice = g_strdup ("auto");
}

void
gst_realtime_settings_clear (GstRealtimeSettings * settings)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].kind == KIND_STRING)
      g_clear_pointer ((gchar **) G_STRUCT_MEMBER_P (settings,
              fields[i].offset), g_free);
}

void
gst_realtime_settings_copy (GstRealtimeSettings * dest,
    const GstRealtimeSettings * src)
{
  guint i;

  gst_realtime_settings_clear (dest);
  *dest = *src;
  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].kind == KIND_STRING)
      G_STRUCT_MEMBER (gchar *, dest, fields[i].offset) =
          g_strdup (G_STRUCT_MEMBER (gchar *, src, fields[i].offset));
}

static gboolean
value_is_valid (GstElement * element, guint prop_id, const GValue * value)
{
  GError *error = NULL;
  guint idle_timeout;

  switch (prop_id) {
    case PROP_TOOLS:
      if (!g_value_get_string (value) || !*g_value_get_string (value)
          || gst_realtime_protocol_validate_tools (g_value_get_string (value),
              &error))
        return TRUE;
      GST_ELEMENT_WARNING (element, LIBRARY, SETTINGS,
          (_("Ignored the tools: %s"), error->message), (NULL));
      g_error_free (error);
      return FALSE;
    case PROP_IDLE_TIMEOUT:
      idle_timeout = g_value_get_uint (value);
      if (idle_timeout == 0 || idle_timeout >= MIN_IDLE_TIMEOUT)
        return TRUE;
      GST_ELEMENT_WARNING (element, LIBRARY, SETTINGS,
          (_("Raised idle-timeout %u to %u ms, the shortest the server "
                  "accepts."), idle_timeout, MIN_IDLE_TIMEOUT), (NULL));
      return TRUE;
    default:
      return TRUE;
  }
}

void
gst_realtime_settings_set_property (GstRealtimeSettings * settings,
    GstElement * element, guint prop_id, const GValue * value)
{
  const Field *field = &fields[prop_id - GST_REALTIME_SETTINGS_FIRST_PROP];
  gpointer member = G_STRUCT_MEMBER_P (settings, field->offset);

  if (!value_is_valid (element, prop_id, value))
    return;

  GST_OBJECT_LOCK (element);
  switch (field->kind) {
    case KIND_STRING:
      g_free (*(gchar **) member);
      *(gchar **) member = g_value_dup_string (value);
      break;
    case KIND_ENUM:
      *(gint *) member = g_value_get_enum (value);
      break;
    case KIND_BOOLEAN:
      *(gboolean *) member = g_value_get_boolean (value);
      break;
    case KIND_UINT:
      *(gint *) member = g_value_get_uint (value);
      /* a GParamSpec range cannot leave a hole: 1-4999 means the least */
      if (prop_id == PROP_IDLE_TIMEOUT && *(gint *) member > 0)
        *(gint *) member = MAX (*(gint *) member, MIN_IDLE_TIMEOUT);
      break;
    case KIND_DOUBLE:
      *(gdouble *) member = g_value_get_double (value);
      break;
  }
  GST_OBJECT_UNLOCK (element);
}

void
gst_realtime_settings_get_property (GstRealtimeSettings * settings,
    GstElement * element, guint prop_id, GValue * value)
{
  const Field *field = &fields[prop_id - GST_REALTIME_SETTINGS_FIRST_PROP];
  gpointer member = G_STRUCT_MEMBER_P (settings, field->offset);

  GST_OBJECT_LOCK (element);
  switch (field->kind) {
    case KIND_STRING:
      g_value_set_string (value, *(gchar **) member);
      break;
    case KIND_ENUM:
      g_value_set_enum (value, *(gint *) member);
      break;
    case KIND_BOOLEAN:
      g_value_set_boolean (value, *(gboolean *) member);
      break;
    case KIND_UINT:
      g_value_set_uint (value, *(gint *) member);
      break;
    case KIND_DOUBLE:
      g_value_set_double (value, *(gdouble *) member);
      break;
  }
  GST_OBJECT_UNLOCK (element);
}

gboolean
gst_realtime_settings_transcribes (const GstRealtimeSettings * settings)
{
  return settings->transcription_model && *settings->transcription_model;
}

void
gst_realtime_settings_fill_config (const GstRealtimeSettings * settings,
    GstRealtimeSessionConfig * config)
{
  config->session_type = settings->session_type;
  config->instructions = settings->instructions;
  config->voice = settings->voice;
  config->output_modality = settings->output_modality;
  config->turn_detection = settings->turn_detection;
  config->transcription_model = settings->transcription_model;
  config->transcription_language = settings->transcription_language;
  config->transcription_prompt = settings->transcription_prompt;
  config->transcription_languages = settings->transcription_languages;
  config->transcription_keywords = settings->transcription_keywords;
  config->transcription_delay = settings->transcription_delay;
  config->noise_reduction = settings->noise_reduction;
  config->noise_reduction_strength = settings->noise_reduction_strength;
  config->tools = settings->tools && *settings->tools ? settings->tools : NULL;
  config->tool_choice = config->tools ? settings->tool_choice : NULL;
}

#define FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)

static void
install (GObjectClass * klass, guint prop_id, GParamSpec * pspec)
{
  g_object_class_install_property (klass, prop_id, pspec);
}

static void
install_model_properties (GObjectClass * klass)
{
  /**
   * GstRealtimeAI:instructions:
   *
   * The system instructions of the session.
   */
  install (klass, PROP_INSTRUCTIONS, g_param_spec_string ("instructions",
          "Instructions", "System instructions for the model (empty: the "
          "server's default)", NULL, FLAGS));
  /**
   * GstRealtimeAI:voice:
   *
   * The voice of spoken replies: alloy, ash, ballad, coral, echo, sage,
   * shimmer, verse, marin, cedar. Empty for the server's default.
   */
  install (klass, PROP_VOICE, g_param_spec_string ("voice", "Voice",
          "Voice of spoken replies, e.g. marin or cedar (empty: the "
          "server's default)", NULL, FLAGS));
  /**
   * GstRealtimeAI:output-modalities:
   *
   * Whether the model replies with speech (on `src`, with its transcript
   * on `text_src`) or with text only (on `text_src`).
   */
  install (klass, PROP_OUTPUT_MODALITIES, g_param_spec_enum
      ("output-modalities", "Output modalities", "What the model replies "
          "with", GST_TYPE_REALTIME_OUTPUT_MODALITY,
          GST_REALTIME_OUTPUT_MODALITY_AUDIO, FLAGS));
  /**
   * GstRealtimeAI:session-type:
   *
   * `realtime` for a conversation, `transcription` for transcripts only
   * (live subtitles): the model never replies and `text_src` carries what
   * was said.
   */
  install (klass, PROP_SESSION_TYPE, g_param_spec_enum ("session-type",
          "Session type", "Conversation, or transcription only",
          GST_TYPE_REALTIME_SESSION_TYPE, GST_REALTIME_SESSION_TYPE_REALTIME,
          FLAGS));
  /**
   * GstRealtimeAI:text-output:
   *
   * What `text_src` carries in a conversation: the replies, the user's
   * transcripts (needs #GstRealtimeAI:transcription-model), or both in
   * turn order. Every text buffer carries a `GstRealtimeTextMeta` custom
   * meta whose `role` field is `user` or `assistant`.
   */
  install (klass, PROP_TEXT_OUTPUT, g_param_spec_enum ("text-output",
          "Text output", "What text_src carries in a conversation",
          GST_TYPE_REALTIME_TEXT_OUTPUT, GST_REALTIME_TEXT_OUTPUT_REPLIES,
          FLAGS));
  /**
   * GstRealtimeAI:tools:
   *
   * A JSON array of function definitions the model may call, e.g.
   * `[{"type":"function","name":"create_meeting","parameters":{...}}]`.
   * An invalid value is refused with a warning and not sent.
   */
  install (klass, PROP_TOOLS, g_param_spec_string ("tools", "Tools",
          "JSON array of function tools the model may call", NULL, FLAGS));
  /**
   * GstRealtimeAI:tool-choice:
   *
   * `auto`, `none`, `required`, or the name of the one function the model
   * must call.
   */
  install (klass, PROP_TOOL_CHOICE, g_param_spec_string ("tool-choice",
          "Tool choice", "auto, none, required, or a function name", "auto",
          FLAGS));
}

static void
install_turn_properties (GObjectClass * klass)
{
  /**
   * GstRealtimeAI:turn-detection:
   *
   * How turns are detected: by the server from the audio level
   * (`server-vad`), from what is said (`semantic-vad`), or not at all
   * (`none`: the application emits #GstRealtimeAI::commit and
   * #GstRealtimeAI::create-response, push-to-talk style).
   */
  install (klass, PROP_TURN_DETECTION, g_param_spec_enum ("turn-detection",
          "Turn detection", "How the end of a turn is detected",
          GST_TYPE_REALTIME_TURN_DETECTION,
          GST_REALTIME_TURN_DETECTION_SERVER_VAD, FLAGS));
  install (klass, PROP_VAD_THRESHOLD, g_param_spec_double ("vad-threshold",
          "VAD threshold", "Server VAD activation threshold (higher needs "
          "louder speech)", 0.0, 1.0, 0.5, FLAGS));
  install (klass, PROP_PREFIX_PADDING, g_param_spec_uint ("prefix-padding",
          "Prefix padding", "Server VAD: milliseconds of audio kept before "
          "the speech starts", 0, 10000, 300, FLAGS));
  install (klass, PROP_SILENCE_DURATION, g_param_spec_uint
      ("silence-duration", "Silence duration", "Server VAD: milliseconds "
          "of silence that end a turn", 0, 10000, 500, FLAGS));
  /**
   * GstRealtimeAI:idle-timeout:
   *
   * Server VAD: after this many milliseconds without speech the server
   * ends the turn and replies by itself; 0 for never. The server accepts
   * 5000 to 30000: 1 to 4999 are raised to 5000, with a warning.
   */
  install (klass, PROP_IDLE_TIMEOUT, g_param_spec_uint ("idle-timeout",
          "Idle timeout", "Server VAD: milliseconds of silence after which "
          "the model speaks by itself (0: never; 1-4999 are raised to the "
          "server's minimum, 5000)", 0, MAX_IDLE_TIMEOUT, 0, FLAGS));
  install (klass, PROP_EAGERNESS, g_param_spec_enum ("eagerness",
          "Eagerness", "Semantic VAD: how soon a turn ends",
          GST_TYPE_REALTIME_EAGERNESS, GST_REALTIME_EAGERNESS_AUTO, FLAGS));
  install (klass, PROP_CREATE_RESPONSE, g_param_spec_boolean
      ("create-response", "Create response", "The server replies by itself "
          "at the end of each detected turn", TRUE, FLAGS));
  install (klass, PROP_INTERRUPT_RESPONSE, g_param_spec_boolean
      ("interrupt-response", "Interrupt response", "Speech cancels the "
          "reply in progress (barge-in)", TRUE, FLAGS));
}

static void
install_transcription_properties (GObjectClass * klass)
{
  /**
   * GstRealtimeAI:transcription-model:
   *
   * The model that transcribes the input, e.g. `gpt-live-transcribe`
   * or `whisper-1`; empty turns transcription off.
   */
  install (klass, PROP_TRANSCRIPTION_MODEL, g_param_spec_string
      ("transcription-model", "Transcription model", "Model that "
          "transcribes the input (empty: no transcription)", NULL, FLAGS));
  install (klass, PROP_TRANSCRIPTION_LANGUAGE, g_param_spec_string
      ("transcription-language", "Transcription language", "ISO-639-1 code "
          "of the input language, e.g. en (empty: detect)", NULL, FLAGS));
  install (klass, PROP_TRANSCRIPTION_PROMPT, g_param_spec_string
      ("transcription-prompt", "Transcription prompt", "Words or style that "
          "guide the transcription", NULL, FLAGS));
  /**
   * GstRealtimeAI:transcription-languages:
   *
   * The languages the input may be in, as comma-separated ISO-639-1 codes
   * (`en,fr`), for input in several languages; empty: any. GA only.
   */
  install (klass, PROP_TRANSCRIPTION_LANGUAGES, g_param_spec_string
      ("transcription-languages", "Transcription languages", "Languages "
          "the input may be in, comma-separated ISO-639-1 codes, e.g. en,fr "
          "(empty: any)", NULL, FLAGS));
  /**
   * GstRealtimeAI:transcription-keywords:
   *
   * Words the transcription should recognise (names, jargon), separated
   * by commas. GA only.
   */
  install (klass, PROP_TRANSCRIPTION_KEYWORDS, g_param_spec_string
      ("transcription-keywords", "Transcription keywords", "Comma-separated "
          "words the transcription should recognise, e.g. names", NULL,
          FLAGS));
  /**
   * GstRealtimeAI:transcription-delay:
   *
   * How long the transcription model waits for more audio before it emits
   * text: `minimal` is quickest, `xhigh` most accurate; `default` leaves
   * it to the server. GA only.
   */
  install (klass, PROP_TRANSCRIPTION_DELAY, g_param_spec_enum
      ("transcription-delay", "Transcription delay", "How long the "
          "transcription model waits before it emits text",
          GST_TYPE_REALTIME_TRANSCRIPTION_DELAY,
          GST_REALTIME_TRANSCRIPTION_DELAY_DEFAULT, FLAGS));
  install (klass, PROP_NOISE_REDUCTION, g_param_spec_enum ("noise-reduction",
          "Noise reduction", "Noise reduction the server applies to the "
          "input", GST_TYPE_REALTIME_NOISE_REDUCTION,
          GST_REALTIME_NOISE_REDUCTION_OFF, FLAGS));
  /**
   * GstRealtimeAI:noise-reduction-strength:
   *
   * How strongly #GstRealtimeAI:noise-reduction filters, from 0 to 1;
   * -1 leaves it to the server. Only sent with noise reduction on. GA
   * only.
   */
  install (klass, PROP_NOISE_REDUCTION_STRENGTH, g_param_spec_double
      ("noise-reduction-strength", "Noise reduction strength", "How "
          "strongly noise-reduction filters, 0-1 (-1: the server's "
          "default)", -1.0, 1.0, -1.0, FLAGS));
}

void
gst_realtime_settings_install_properties (GObjectClass * klass)
{
  install_model_properties (klass);
  install_turn_properties (klass);
  install_transcription_properties (klass);
}
