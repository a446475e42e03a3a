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

#include "gstrealtimeenums.h"

static GType
register_enum (GType * type, const gchar * name, const GEnumValue * values)
{
  if (g_once_init_enter (type)) {
    GType t = g_enum_register_static (name, values);
    g_once_init_leave (type, t);
  }
  return *type;
}

GType
gst_realtime_output_modality_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_OUTPUT_MODALITY_AUDIO,
        "Spoken replies, with their transcript as text", "audio"},
    {GST_REALTIME_OUTPUT_MODALITY_TEXT, "Text replies only", "text"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeOutputModality", values);
}

GType
gst_realtime_turn_detection_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_TURN_DETECTION_SERVER_VAD,
        "Server voice activity detection", "server-vad"},
    {GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD,
        "Server semantic turn detection", "semantic-vad"},
    {GST_REALTIME_TURN_DETECTION_NONE,
        "No turn detection: the application commits", "none"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeTurnDetection", values);
}

GType
gst_realtime_eagerness_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_EAGERNESS_AUTO, "The server's choice (medium)", "auto"},
    {GST_REALTIME_EAGERNESS_LOW, "Wait longest for more speech", "low"},
    {GST_REALTIME_EAGERNESS_MEDIUM, "Medium", "medium"},
    {GST_REALTIME_EAGERNESS_HIGH, "End turns soonest", "high"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeEagerness", values);
}

GType
gst_realtime_noise_reduction_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_NOISE_REDUCTION_OFF, "No noise reduction", "off"},
    {GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD, "Close microphones",
        "near-field"},
    {GST_REALTIME_NOISE_REDUCTION_FAR_FIELD, "Room microphones", "far-field"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeNoiseReduction", values);
}

GType
gst_realtime_transcription_delay_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_TRANSCRIPTION_DELAY_DEFAULT, "The server's choice",
        "default"},
    {GST_REALTIME_TRANSCRIPTION_DELAY_MINIMAL, "Text as soon as possible",
        "minimal"},
    {GST_REALTIME_TRANSCRIPTION_DELAY_LOW, "Short wait", "low"},
    {GST_REALTIME_TRANSCRIPTION_DELAY_MEDIUM, "Medium wait", "medium"},
    {GST_REALTIME_TRANSCRIPTION_DELAY_HIGH, "Long wait", "high"},
    {GST_REALTIME_TRANSCRIPTION_DELAY_XHIGH, "Longest wait, most accurate",
        "xhigh"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeTranscriptionDelay", values);
}

GType
gst_realtime_session_type_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_SESSION_TYPE_REALTIME, "Conversation with the model",
        "realtime"},
    {GST_REALTIME_SESSION_TYPE_TRANSCRIPTION, "Transcription only",
        "transcription"},
    /* GST_REALTIME_SESSION_TYPE_TRANSLATION: the protocol and the core
     * know it; the element offers it once it drives the translation core
     * (issue 13) */
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeSessionType", values);
}

GType
gst_realtime_text_output_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_TEXT_OUTPUT_REPLIES, "The model's replies", "replies"},
    {GST_REALTIME_TEXT_OUTPUT_TRANSCRIPTS, "What the user said",
        "transcripts"},
    {GST_REALTIME_TEXT_OUTPUT_BOTH, "Both, tagged with a meta", "both"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeTextOutput", values);
}

GType
gst_realtime_protocol_version_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_PROTOCOL_AUTO, "Beta for Azure preview URLs, else GA",
        "auto"},
    {GST_REALTIME_PROTOCOL_GA, "GA protocol", "ga"},
    {GST_REALTIME_PROTOCOL_BETA, "Beta protocol shape", "beta"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeProtocolVersion", values);
}

GType
gst_realtime_auth_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_REALTIME_AUTH_AUTO, "api-key header for Azure URLs, else Bearer",
        "auto"},
    {GST_REALTIME_AUTH_BEARER, "Authorization: Bearer header", "bearer"},
    {GST_REALTIME_AUTH_API_KEY, "api-key header", "api-key"},
    {0, NULL, NULL},
  };

  return register_enum (&type, "GstRealtimeAuth", values);
}
