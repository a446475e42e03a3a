/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The session in both dialects. The effective session is kept as JSON in
 * the connection's own shape: GA (`type`, nested `audio.input/output`) or
 * beta (flat: `modalities`, `input_audio_format`, `turn_detection`...).
 * session.update is checked atomically, as the real servers do, merged in,
 * and the settings the server acts on are derived from the result. */

#include "realtimetestserver-private.h"

#include <string.h>

#define DEFAULT_VOICE "marin"
#define DEFAULT_BETA_VOICE "alloy"
#define SESSION_LIFETIME_S 3600

/* ------------------------------------------------------------------ */
/* audio formats */

JsonObject *
rts_format_object (const AudioFormat * fmt)
{
  JsonObject *format = json_object_new ();

  switch (fmt->codec) {
    case CODEC_PCMU:
      json_object_set_string_member (format, "type", "audio/pcmu");
      break;
    case CODEC_PCMA:
      json_object_set_string_member (format, "type", "audio/pcma");
      break;
    default:
      json_object_set_string_member (format, "type", "audio/pcm");
      json_object_set_int_member (format, "rate", fmt->rate);
      break;
  }
  return format;
}

const gchar *
rts_beta_format_name (const AudioFormat * fmt)
{
  switch (fmt->codec) {
    case CODEC_PCMU:
      return "g711_ulaw";
    case CODEC_PCMA:
      return "g711_alaw";
    default:
      return "pcm16";
  }
}

static AudioFormat
codec_format (Codec codec)
{
  AudioFormat fmt = { codec, codec == CODEC_PCM16 ? 24000 : 8000 };

  return fmt;
}

static AudioFormat
parse_ga_format (JsonObject * format)
{
  const gchar *type = rts_member_string (format, "type");

  if (g_strcmp0 (type, "audio/pcmu") == 0)
    return codec_format (CODEC_PCMU);
  if (g_strcmp0 (type, "audio/pcma") == 0)
    return codec_format (CODEC_PCMA);
  return codec_format (CODEC_PCM16);
}

static AudioFormat
parse_beta_format (const gchar * name)
{
  if (g_strcmp0 (name, "g711_ulaw") == 0)
    return codec_format (CODEC_PCMU);
  if (g_strcmp0 (name, "g711_alaw") == 0)
    return codec_format (CODEC_PCMA);
  return codec_format (CODEC_PCM16);
}

static gboolean
beta_format_is_valid (JsonObject * session, const gchar * name)
{
  static const gchar *const names[] = { "pcm16", "g711_ulaw", "g711_alaw",
    NULL
  };
  const gchar *value = rts_member_string (session, name);

  return !json_object_has_member (session, name) || (value
      && g_strv_contains (names, value));
}

/* ------------------------------------------------------------------ */
/* defaults */

/* Sets @name to the JSON @value unless @object has it. */
static void
set_default (JsonObject * object, const gchar * name, const gchar * value)
{
  if (!json_object_has_member (object, name))
    json_object_set_member (object, name, json_from_string (value, NULL));
}

/* Completes a turn_detection object the way the servers echo it. */
static void
fill_vad_defaults (JsonObject * td)
{
  const gchar *type = rts_member_string (td, "type");

  if (g_strcmp0 (type, "server_vad") == 0) {
    set_default (td, "threshold", "0.5");
    set_default (td, "prefix_padding_ms", "300");
    set_default (td, "silence_duration_ms", "500");
  } else if (g_strcmp0 (type, "semantic_vad") == 0) {
    set_default (td, "eagerness", "\"auto\"");
  } else {
    return;
  }
  set_default (td, "create_response", "true");
  set_default (td, "interrupt_response", "true");
}

static JsonObject *
default_turn_detection (void)
{
  JsonObject *td = json_object_new ();

  json_object_set_string_member (td, "type", "server_vad");
  fill_vad_defaults (td);
  return td;
}

static JsonObject *
default_audio_input (void)
{
  AudioFormat pcm = codec_format (CODEC_PCM16);
  JsonObject *input = json_object_new ();

  json_object_set_object_member (input, "format", rts_format_object (&pcm));
  json_object_set_object_member (input, "turn_detection",
      default_turn_detection ());
  return input;
}

static JsonObject *
default_audio (gboolean transcription)
{
  AudioFormat pcm = codec_format (CODEC_PCM16);
  JsonObject *audio = json_object_new ();
  JsonObject *output;

  json_object_set_object_member (audio, "input", default_audio_input ());
  if (transcription)
    return audio;
  output = json_object_new ();
  json_object_set_object_member (output, "format", rts_format_object (&pcm));
  json_object_set_string_member (output, "voice", DEFAULT_VOICE);
  json_object_set_double_member (output, "speed", 1.0);
  json_object_set_object_member (audio, "output", output);
  return audio;
}

static gint64
session_expires_at (RealtimeTestServer * self)
{
  gint64 lifetime_s = self->lifetime_ms == 0 ? SESSION_LIFETIME_S :
      (self->lifetime_ms + 999) / 1000;

  return g_get_real_time () / G_USEC_PER_SEC + lifetime_s;
}

static void
set_common (JsonObject * session, const gchar * type, const gchar * model)
{
  if (type)
    json_object_set_string_member (session, "type", type);
  if (model)
    json_object_set_string_member (session, "model", model);
  json_object_set_string_member (session, "instructions", "");
  json_object_set_array_member (session, "tools", json_array_new ());
  json_object_set_string_member (session, "tool_choice", "auto");
  json_object_set_null_member (session, "tracing");
}

static void
fill_ga_realtime (JsonObject * session, const gchar * model)
{
  set_common (session, "realtime", model);
  json_object_set_array_member (session, "output_modalities",
      rts_string_array ("audio"));
  json_object_set_object_member (session, "audio", default_audio (FALSE));
  json_object_set_string_member (session, "max_output_tokens", "inf");
  json_object_set_string_member (session, "truncation", "auto");
  json_object_set_null_member (session, "prompt");
}

static void
fill_ga_transcription (JsonObject * session)
{
  json_object_set_string_member (session, "type", "transcription");
  json_object_set_object_member (session, "audio", default_audio (TRUE));
  json_object_set_array_member (session, "include", json_array_new ());
}

static void
fill_beta (JsonObject * session, const gchar * model)
{
  JsonArray *modalities = rts_string_array ("text");

  json_array_add_string_element (modalities, "audio");
  set_common (session, NULL, model);
  json_object_set_array_member (session, "modalities", modalities);
  json_object_set_string_member (session, "voice", DEFAULT_BETA_VOICE);
  json_object_set_string_member (session, "input_audio_format", "pcm16");
  json_object_set_string_member (session, "output_audio_format", "pcm16");
  json_object_set_null_member (session, "input_audio_transcription");
  json_object_set_null_member (session, "input_audio_noise_reduction");
  json_object_set_object_member (session, "turn_detection",
      default_turn_detection ());
  json_object_set_double_member (session, "temperature", 0.8);
  json_object_set_string_member (session, "max_response_output_tokens", "inf");
  json_object_set_double_member (session, "speed", 1.0);
}

/* The session of session.created. GA sessions are "realtime" or
 * "transcription" (@transcription); beta ones are flat. */
JsonObject *
rts_session_new (Connection * c, const gchar * model, gboolean transcription)
{
  JsonObject *session = json_object_new ();
  gchar *id = rts_new_id (c->server, "sess");

  json_object_set_string_member (session, "id", id);
  json_object_set_string_member (session, "object", transcription ?
      "realtime.transcription_session" : "realtime.session");
  if (c->beta)
    fill_beta (session, model);
  else if (transcription)
    fill_ga_transcription (session);
  else
    fill_ga_realtime (session, model);
  json_object_set_int_member (session, "expires_at",
      session_expires_at (c->server));
  g_free (id);
  return session;
}

/* ------------------------------------------------------------------ */
/* deriving the settings */

gboolean
rts_modalities_are_text (JsonObject * holder, const gchar * name)
{
  JsonNode *node = json_object_get_member (holder, name);
  JsonArray *array;
  guint i;
  gboolean text = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (array); i++) {
    const gchar *m = json_array_get_string_element (array, i);

    if (g_strcmp0 (m, "audio") == 0)
      return FALSE;
    text |= g_strcmp0 (m, "text") == 0;
  }
  return text;
}

/* semantic_vad has no energy meaning of its own: it runs the energy VAD
 * with server_vad's defaults. */
static void
parse_turn_detection (VadConfig * vad, JsonObject * td)
{
  const gchar *type = rts_member_string (td, "type");
  gboolean semantic = g_strcmp0 (type, "semantic_vad") == 0;

  vad->enabled = semantic || g_strcmp0 (type, "server_vad") == 0;
  if (!vad->enabled)
    return;
  vad->threshold = semantic ? 0.5 :
      json_object_get_double_member_with_default (td, "threshold", 0.5);
  vad->prefix_padding_ms = semantic ? 300 :
      json_object_get_int_member_with_default (td, "prefix_padding_ms", 300);
  vad->silence_duration_ms = semantic ? 500 :
      json_object_get_int_member_with_default (td, "silence_duration_ms", 500);
  vad->idle_timeout_ms = semantic ? 0 :
      json_object_get_int_member_with_default (td, "idle_timeout_ms", 0);
  vad->create_response = json_object_get_boolean_member_with_default (td,
      "create_response", TRUE);
  vad->interrupt_response = json_object_get_boolean_member_with_default (td,
      "interrupt_response", TRUE);
}

static gboolean
has_model (JsonObject * transcription)
{
  const gchar *model = rts_member_string (transcription, "model");

  return model && *model;
}

/* gpt-4o-transcribe-diarize and its like */
static gboolean
diarizes (JsonObject * transcription)
{
  const gchar *model = rts_member_string (transcription, "model");

  return model && strstr (model, "diarize") != NULL;
}

static void
derive_ga (JsonObject * session, SessionConfig * cfg)
{
  JsonObject *audio = rts_member_object (session, "audio");
  JsonObject *input = rts_member_object (audio, "input");
  JsonObject *output = rts_member_object (audio, "output");

  cfg->transcription_session = g_strcmp0 (rts_member_string (session,
          "type"), "transcription") == 0;
  cfg->text_output = rts_modalities_are_text (session, "output_modalities");
  cfg->in_fmt = parse_ga_format (rts_member_object (input, "format"));
  cfg->out_fmt = parse_ga_format (rts_member_object (output, "format"));
  parse_turn_detection (&cfg->vad, rts_member_object (input, "turn_detection"));
  cfg->transcribe = cfg->transcription_session
      || has_model (rts_member_object (input, "transcription"));
  cfg->diarize = diarizes (rts_member_object (input, "transcription"));
}

static void
derive_beta (JsonObject * session, SessionConfig * cfg)
{
  cfg->text_output = rts_modalities_are_text (session, "modalities");
  cfg->in_fmt = parse_beta_format (rts_member_string (session,
          "input_audio_format"));
  cfg->out_fmt = parse_beta_format (rts_member_string (session,
          "output_audio_format"));
  parse_turn_detection (&cfg->vad, rts_member_object (session,
          "turn_detection"));
  cfg->transcribe = has_model (rts_member_object (session,
          "input_audio_transcription"));
}

/* Derives the settings the server acts on from the effective session. */
void
rts_session_derive (Connection * c)
{
  SessionConfig cfg = { 0, };

  if (c->beta)
    derive_beta (c->session, &cfg);
  else
    derive_ga (c->session, &cfg);
  if (cfg.in_fmt.rate != c->cfg.in_fmt.rate) {
    c->frame_energy = 0;
    c->frame_fill = 0;
  }
  c->cfg = cfg;
  if (!cfg.vad.enabled)
    rts_vad_reset (c);
}

/* ------------------------------------------------------------------ */
/* session.update */

static const gchar *const ga_members[] = {
  "type", "model", "output_modalities", "instructions", "audio", "include",
  "max_output_tokens", "parallel_tool_calls", "prompt", "reasoning",
  "tool_choice", "tools", "tracing", "truncation", NULL
};

static const gchar *const ga_transcription_members[] = {
  "type", "audio", "include", NULL
};

static const gchar *const ga_transcription_audio_members[] = { "input", NULL };

static const gchar *const beta_members[] = {
  "modalities", "instructions", "voice", "input_audio_format",
  "output_audio_format", "input_audio_transcription",
  "input_audio_noise_reduction", "turn_detection", "tools", "tool_choice",
  "temperature", "max_response_output_tokens", "speed", "tracing", "model",
  "client_secret", NULL
};

/* A rejected session.update: the error's code, param and message. */
typedef struct
{
  const gchar *code;
  gchar *param;
  gchar *message;
} Rejection;

/* @what: the message up to the param, e.g. "Unknown parameter" */
static gboolean
reject (Rejection * rej, const gchar * code, const gchar * param,
    const gchar * what)
{
  rej->code = code;
  rej->param = g_strdup (param);
  rej->message = g_strdup_printf ("%s: '%s'.", what, param);
  return FALSE;
}

/* Every member of @object (at @path) must be among @allowed. */
static gboolean
check_members (JsonObject * object, const gchar * const *allowed,
    const gchar * path, Rejection * rej)
{
  GList *members = object ? json_object_get_members (object) : NULL;
  GList *l;
  gchar *param;
  gboolean ok = TRUE;

  for (l = members; l && ok; l = l->next) {
    if (g_strv_contains (allowed, l->data))
      continue;
    param = g_strdup_printf ("%s.%s", path, (const gchar *) l->data);
    ok = reject (rej, "unknown_parameter", param, "Unknown parameter");
    g_free (param);
  }
  g_list_free (members);
  return ok;
}

static gboolean
check_ga_update (JsonObject * update, Rejection * rej)
{
  const gchar *type = rts_member_string (update, "type");

  if (!json_object_has_member (update, "type"))
    return reject (rej, "missing_required_parameter", "session.type",
        "Missing required parameter");
  if (g_strcmp0 (type, "transcription") == 0)
    return check_members (update, ga_transcription_members, "session", rej)
        && check_members (rts_member_object (update, "audio"),
        ga_transcription_audio_members, "session.audio", rej);
  if (g_strcmp0 (type, "realtime") != 0)
    return reject (rej, "invalid_value", "session.type", "Invalid value "
        "(not 'realtime' or 'transcription')");
  return check_members (update, ga_members, "session", rej);
}

/* GA members in a beta update are the dialect mistake to catch first. */
static gboolean
check_beta_update (JsonObject * update, Rejection * rej)
{
  if (json_object_has_member (update, "type"))
    return reject (rej, "unknown_parameter", "session.type",
        "Unknown parameter");
  if (json_object_has_member (update, "audio"))
    return reject (rej, "unknown_parameter", "session.audio",
        "Unknown parameter");
  if (!check_members (update, beta_members, "session", rej))
    return FALSE;
  if (!beta_format_is_valid (update, "input_audio_format"))
    return reject (rej, "invalid_value", "session.input_audio_format",
        "Invalid value");
  if (!beta_format_is_valid (update, "output_audio_format"))
    return reject (rej, "invalid_value", "session.output_audio_format",
        "Invalid value");
  return TRUE;
}

/* Deep merge; these are replaced whole, as their members depend on their
 * type or belong together. */
static const gchar *const whole_members[] = {
  "format", "turn_detection", "transcription", "noise_reduction",
  "input_audio_transcription", "input_audio_noise_reduction", NULL
};

static void
merge_object (JsonObject * dst, JsonObject * src)
{
  GList *members = json_object_get_members (src);
  GList *l;

  for (l = members; l; l = l->next) {
    const gchar *name = l->data;
    JsonNode *node = json_object_get_member (src, name);
    JsonNode *old = json_object_get_member (dst, name);

    if (!g_strv_contains (whole_members, name) && old
        && JSON_NODE_HOLDS_OBJECT (old) && JSON_NODE_HOLDS_OBJECT (node))
      merge_object (json_node_get_object (old), json_node_get_object (node));
    else
      json_object_set_member (dst, name, json_node_copy (node));
  }
  g_list_free (members);
}

/* A GA update of the other session type starts from that type's defaults,
 * keeping the session's id and expiry. */
static void
switch_session_type (Connection * c, const gchar * type)
{
  JsonObject *old = c->session;
  const gchar *model = rts_member_string (old, "model");

  if (g_strcmp0 (type, rts_member_string (old, "type")) == 0)
    return;
  c->session = rts_session_new (c, model ? model : DEFAULT_MODEL,
      g_strcmp0 (type, "transcription") == 0);
  json_object_set_member (c->session, "id",
      json_node_copy (json_object_get_member (old, "id")));
  json_object_set_member (c->session, "expires_at",
      json_node_copy (json_object_get_member (old, "expires_at")));
  json_object_unref (old);
}

static JsonObject *
session_turn_detection (Connection * c)
{
  JsonObject *input;

  if (c->beta)
    return rts_member_object (c->session, "turn_detection");
  input = rts_member_object (rts_member_object (c->session, "audio"), "input");
  return rts_member_object (input, "turn_detection");
}

static void
apply_session_update (Connection * c, JsonObject * update)
{
  JsonObject *td;

  /* the model is fixed once the session exists */
  json_object_remove_member (update, "model");
  if (!c->beta)
    switch_session_type (c, rts_member_string (update, "type"));
  merge_object (c->session, update);
  td = session_turn_detection (c);
  if (td)
    fill_vad_defaults (td);
  rts_session_derive (c);
}

void
rts_send_session_event (Connection * c, const gchar * type)
{
  JsonObject *event = rts_new_event (c, type);

  json_object_set_object_member (event, "session",
      json_object_ref (c->session));
  rts_send_event (c, event);
}

void
rts_handle_session_update (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  JsonObject *update = rts_member_object (event, "session");
  Rejection rej = { NULL, };
  gboolean ok;

  if (c->stalled)
    return;
  if (rts_has_fault (c->server, REALTIME_TEST_FAULT_ERROR_EVENT)) {
    rts_send_error (c, "unknown_parameter",
        "Unknown parameter: 'session.instructions'.", "session.instructions",
        event_id);
    return;
  }
  if (update == NULL) {
    rts_send_error (c, "missing_required_parameter",
        "Missing required parameter: 'session'.", "session", event_id);
    return;
  }
  ok = c->beta ? check_beta_update (update, &rej) :
      check_ga_update (update, &rej);
  if (!ok) {
    rts_send_error (c, rej.code, rej.message, rej.param, event_id);
    g_free (rej.param);
    g_free (rej.message);
    return;
  }
  apply_session_update (c, update);
  rts_send_session_event (c, "session.updated");
  rts_list_mcp_tools (c);
  rts_send_dtmf_keys (c);
}
