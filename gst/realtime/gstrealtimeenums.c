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

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstRealtimeOutputModality", values);
    g_once_init_leave (&type, t);
  }
  return type;
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

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstRealtimeTurnDetection", values);
    g_once_init_leave (&type, t);
  }
  return type;
}
