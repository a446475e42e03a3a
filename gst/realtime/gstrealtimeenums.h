/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_REALTIME_ENUMS_H__
#define __GST_REALTIME_ENUMS_H__

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GstRealtimeOutputModality:
 * @GST_REALTIME_OUTPUT_MODALITY_AUDIO: spoken replies on `src`, their
 *   transcript on `text_src`
 * @GST_REALTIME_OUTPUT_MODALITY_TEXT: text replies on `text_src` only
 *
 * What the model answers with. The GA protocol allows one of the two.
 */
typedef enum
{
  GST_REALTIME_OUTPUT_MODALITY_AUDIO,
  GST_REALTIME_OUTPUT_MODALITY_TEXT,
} GstRealtimeOutputModality;

/**
 * GstRealtimeTurnDetection:
 * @GST_REALTIME_TURN_DETECTION_SERVER_VAD: the server detects turns from
 *   the audio energy
 * @GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD: the server detects turns from
 *   what is said
 * @GST_REALTIME_TURN_DETECTION_NONE: the application commits turns itself
 */
typedef enum
{
  GST_REALTIME_TURN_DETECTION_SERVER_VAD,
  GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD,
  GST_REALTIME_TURN_DETECTION_NONE,
} GstRealtimeTurnDetection;

#define GST_TYPE_REALTIME_OUTPUT_MODALITY \
    (gst_realtime_output_modality_get_type ())
GType gst_realtime_output_modality_get_type (void);

#define GST_TYPE_REALTIME_TURN_DETECTION \
    (gst_realtime_turn_detection_get_type ())
GType gst_realtime_turn_detection_get_type (void);

G_END_DECLS

#endif /* __GST_REALTIME_ENUMS_H__ */
