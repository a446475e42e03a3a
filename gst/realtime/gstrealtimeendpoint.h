/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Where and how to connect: the final URL (with the model, or the
 * transcription intent), the protocol dialect, and how the key is sent,
 * worked out from the URL the user gave. OpenAI, Azure GA
 * (`/openai/v1/realtime`) and Azure preview (`/openai/realtime
 * ?api-version=`) differ only in these.
 *
 * A translation session (PROTOCOL.md section 10) is a session of its own:
 * with OpenAI's URL, or any URL whose path ends in /v1/realtime, it goes
 * to the same path with /translations appended, `?model=` the model (or
 * GST_REALTIME_TRANSLATION_DEFAULT_MODEL when none is given), always in
 * the GA shape and without the OpenAI-Beta header. Other URLs are taken
 * as they are, with the model added. Azure has no translation endpoint
 * (PROTOCOL.md names none): resolving one fails, with the reason in
 * @refusal. */

#ifndef __GST_REALTIME_ENDPOINT_H__
#define __GST_REALTIME_ENDPOINT_H__

#include <glib.h>
#include "gstrealtimeenums.h"

G_BEGIN_DECLS

#define GST_REALTIME_TRANSLATION_DEFAULT_MODEL "gpt-realtime-translate"

typedef struct
{
  gchar *url;
  GstRealtimeProtocolVersion dialect;   /* GA or BETA */
  gboolean azure;
  gboolean api_key_header;      /* `api-key: K` instead of Bearer */
  gboolean beta_header;         /* `OpenAI-Beta: realtime=v1` */
  /* plain ws:// to a host that is not this machine: a key would travel
   * unencrypted */
  gboolean plain_remote;
  /* environment variables that hold the key, in order of preference */
  const gchar *key_variables[3];
  /* when resolving failed for a reason other than an invalid URL: why, in
   * words for the user (static), else NULL */
  const gchar *refusal;
} GstRealtimeEndpoint;

/* @model NULL or empty: the URL's own, or (translation) the default. */
gboolean gst_realtime_endpoint_resolve (GstRealtimeEndpoint * endpoint,
    const gchar * url, const gchar * model,
    GstRealtimeSessionType session_type, GstRealtimeProtocolVersion protocol,
    GstRealtimeAuth auth);
void gst_realtime_endpoint_clear (GstRealtimeEndpoint * endpoint);

G_END_DECLS

#endif /* __GST_REALTIME_ENDPOINT_H__ */
