/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The Realtime protocol, GA and beta, as pure functions: this file holds
 * the error domain and the session defaults. The JSON helpers are in
 * gstrealtimeprotocoljson.c, the checks of JSON from applications in
 * gstrealtimeprotocolcheck.c, the client events in
 * gstrealtimeprotocolbuild.c and the server event parser in
 * gstrealtimeprotocolparse.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeprotocolpriv.h"

/* *INDENT-OFF* */
G_DEFINE_QUARK (gst-realtime-protocol-error-quark, gst_realtime_protocol_error);
/* *INDENT-ON* */

void
gst_realtime_session_config_init (GstRealtimeSessionConfig * config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  config->dialect = GST_REALTIME_PROTOCOL_GA;
  config->session_type = GST_REALTIME_SESSION_TYPE_REALTIME;
  config->output_modality = GST_REALTIME_OUTPUT_MODALITY_AUDIO;
  config->input_format = GST_REALTIME_AUDIO_FORMAT_PCM16;
  config->output_format = GST_REALTIME_AUDIO_FORMAT_PCM16;
  config->turn_detection.type = GST_REALTIME_TURN_DETECTION_SERVER_VAD;
  config->turn_detection.threshold = DEFAULT_VAD_THRESHOLD;
  config->turn_detection.prefix_padding_ms = DEFAULT_VAD_PREFIX_PADDING_MS;
  config->turn_detection.silence_duration_ms = DEFAULT_VAD_SILENCE_DURATION_MS;
  config->turn_detection.idle_timeout_ms = 0;
  config->turn_detection.eagerness = GST_REALTIME_EAGERNESS_AUTO;
  config->turn_detection.create_response = TRUE;
  config->turn_detection.interrupt_response = TRUE;
  config->noise_reduction = GST_REALTIME_NOISE_REDUCTION_OFF;
  config->noise_reduction_strength = -1.0;
}
