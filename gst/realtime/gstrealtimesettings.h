/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The element's properties that describe the session: what the model is
 * told, how turns are detected, transcription and tools. They live here,
 * with their GParamSpecs, so the element keeps to streaming and the
 * connection. Each setter validates outside the object lock and stores
 * under it. */

#ifndef __GST_REALTIME_SETTINGS_H__
#define __GST_REALTIME_SETTINGS_H__

#include <gst/gst.h>
#include "gstrealtimeprotocol.h"

G_BEGIN_DECLS

/* Property ids from this one on belong to the settings. */
#define GST_REALTIME_SETTINGS_FIRST_PROP 100

typedef struct
{
  gchar *instructions;
  gchar *voice;
  GstRealtimeOutputModality output_modality;
  GstRealtimeSessionType session_type;
  GstRealtimeTextOutput text_output;
  GstRealtimeTurnDetectionConfig turn_detection;
  gchar *transcription_model;
  gchar *transcription_language;
  gchar *transcription_prompt;
  gchar *transcription_languages;
  gchar *transcription_keywords;
  GstRealtimeTranscriptionDelay transcription_delay;
  GstRealtimeNoiseReduction noise_reduction;
  gdouble noise_reduction_strength;
  gchar *tools;
  gchar *tool_choice;
} GstRealtimeSettings;

void gst_realtime_settings_init (GstRealtimeSettings * settings);
void gst_realtime_settings_clear (GstRealtimeSettings * settings);
void gst_realtime_settings_copy (GstRealtimeSettings * dest,
    const GstRealtimeSettings * src);

void gst_realtime_settings_install_properties (GObjectClass * klass);
void gst_realtime_settings_set_property (GstRealtimeSettings * settings,
    GstElement * element, guint prop_id, const GValue * value);
void gst_realtime_settings_get_property (GstRealtimeSettings * settings,
    GstElement * element, guint prop_id, GValue * value);

/* Fills the session part of @config; its strings point into @settings. */
void gst_realtime_settings_fill_config (const GstRealtimeSettings * settings,
    GstRealtimeSessionConfig * config);

gboolean gst_realtime_settings_transcribes (const GstRealtimeSettings *
    settings);

G_END_DECLS

#endif /* __GST_REALTIME_SETTINGS_H__ */
