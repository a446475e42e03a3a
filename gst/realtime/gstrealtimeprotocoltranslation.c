/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The client events of a translation session (/v1/realtime/translations,
 * PROTOCOL.md section 10). Their schema is strict: session.update takes
 * audio.output.language and audio.input.{transcription, noise_reduction}
 * and nothing else (no session.type). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstrealtimeprotocolpriv.h"

static const gchar *const noise_reduction_names[] = {
  [GST_REALTIME_NOISE_REDUCTION_OFF] = NULL,
  [GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD] = "near_field",
  [GST_REALTIME_NOISE_REDUCTION_FAR_FIELD] = "far_field",
};

void
gst_realtime_translation_config_init (GstRealtimeTranslationConfig * config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  config->noise_reduction = GST_REALTIME_NOISE_REDUCTION_OFF;
  config->noise_reduction_strength = -1.0;
}

static void
begin_member_object (JsonBuilder * builder, const gchar * name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
}

/* User-supplied strings are repaired (U+FFFD) rather than sent invalid. */
static void
add_text (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  gchar *valid = g_utf8_make_valid (value, -1);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, valid);
  g_free (valid);
}

static void
add_output (JsonBuilder * builder, const gchar * language)
{
  if (!is_set (language))
    return;
  begin_member_object (builder, "output");
  add_text (builder, "language", language);
  json_builder_end_object (builder);
}

static void
add_noise_reduction (JsonBuilder * builder,
    const GstRealtimeTranslationConfig * config)
{
  const gchar *type = noise_reduction_names[config->noise_reduction];
  gdouble strength = config->noise_reduction_strength;

  json_builder_set_member_name (builder, "noise_reduction");
  if (type == NULL) {
    json_builder_add_null_value (builder);
    return;
  }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  if (strength >= 0.0 && isfinite (strength)) {
    json_builder_set_member_name (builder, "strength");
    json_builder_add_double_value (builder, MIN (strength, 1.0));
  }
  json_builder_end_object (builder);
}

static void
add_input (JsonBuilder * builder, const GstRealtimeTranslationConfig * config)
{
  begin_member_object (builder, "input");
  if (is_set (config->transcription_model)) {
    begin_member_object (builder, "transcription");
    add_text (builder, "model", config->transcription_model);
    json_builder_end_object (builder);
  }
  add_noise_reduction (builder, config);
  json_builder_end_object (builder);
}

static JsonBuilder *
begin_session_audio (const gchar * event_id)
{
  JsonBuilder *builder =
      gst_realtime_protocol_event_begin ("session.update", event_id);

  begin_member_object (builder, "session");
  begin_member_object (builder, "audio");
  return builder;
}

static gchar *
end_session_audio (JsonBuilder * builder)
{
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return gst_realtime_protocol_event_end (builder);
}

gchar *
gst_realtime_protocol_build_translation_update (const
    GstRealtimeTranslationConfig * config, const gchar * event_id)
{
  JsonBuilder *builder;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail ((guint) config->noise_reduction <=
      GST_REALTIME_NOISE_REDUCTION_FAR_FIELD, NULL);
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);

  builder = begin_session_audio (event_id);
  add_input (builder, config);
  add_output (builder, config->language);
  return end_session_audio (builder);
}

gchar *
gst_realtime_protocol_build_translation_language (const gchar * language,
    const gchar * event_id)
{
  JsonBuilder *builder;

  g_return_val_if_fail (is_set (language), NULL);
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);

  builder = begin_session_audio (event_id);
  add_output (builder, language);
  return end_session_audio (builder);
}

gchar *
gst_realtime_protocol_build_translation_append (const guint8 * audio,
    gsize size, const gchar * event_id)
{
  return gst_realtime_protocol_build_audio_event
      ("session.input_audio_buffer.append", audio, size, event_id);
}

gchar *
gst_realtime_protocol_build_session_close (const gchar * event_id)
{
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);

  return gst_realtime_protocol_event_end (gst_realtime_protocol_event_begin
      ("session.close", event_id));
}
