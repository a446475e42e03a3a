/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The transport interface: each wrapper calls the implementation's
 * operation, so the element never names the transport it talks through. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimetransport.h"

/* *INDENT-OFF* */
G_DEFINE_QUARK (gst-realtime-transport-error-quark,
    gst_realtime_transport_error);
/* *INDENT-ON* */

void
gst_realtime_transport_init (GstRealtimeTransport * transport,
    const GstRealtimeTransportClass * klass,
    const GstRealtimeTransportCallbacks * callbacks, gpointer user_data)
{
  transport->klass = klass;
  transport->callbacks = *callbacks;
  transport->user_data = user_data;
}

void
gst_realtime_transport_start (GstRealtimeTransport * transport)
{
  transport->klass->start (transport);
}

void
gst_realtime_transport_free (GstRealtimeTransport * transport)
{
  if (transport)
    transport->klass->free (transport);
}

void
gst_realtime_transport_send_now (GstRealtimeTransport * transport,
    gchar * event)
{
  transport->klass->send_now (transport, event);
}

void
gst_realtime_transport_send_soon (GstRealtimeTransport * transport,
    gchar * event)
{
  transport->klass->send_soon (transport, event);
}

void
gst_realtime_transport_open_queue (GstRealtimeTransport * transport)
{
  transport->klass->open_queue (transport);
}

void
gst_realtime_transport_queue_control (GstRealtimeTransport * transport,
    gchar * event)
{
  transport->klass->queue_control (transport, event);
}

gboolean
gst_realtime_transport_queue_audio (GstRealtimeTransport * transport,
    gchar * event, guint epoch, gint64 timeout_us, GError ** error)
{
  return transport->klass->queue_audio (transport, event, epoch, timeout_us,
      error);
}

guint
gst_realtime_transport_get_epoch (GstRealtimeTransport * transport)
{
  return transport->klass->get_epoch (transport);
}

void
gst_realtime_transport_reconnect (GstRealtimeTransport * transport,
    guint delay_ms)
{
  transport->klass->reconnect (transport, delay_ms);
}

void
gst_realtime_transport_renew (GstRealtimeTransport * transport)
{
  transport->klass->renew (transport);
}

void
gst_realtime_transport_call_later (GstRealtimeTransport * transport,
    guint delay_ms, GSourceFunc func, gpointer user_data)
{
  transport->klass->call_later (transport, delay_ms, func, user_data);
}

void
gst_realtime_transport_set_flushing (GstRealtimeTransport * transport,
    gboolean flushing)
{
  transport->klass->set_flushing (transport, flushing);
}

void
gst_realtime_transport_get_refusal (GstRealtimeTransport * transport,
    guint * status, guint * retry_after_ms)
{
  transport->klass->get_refusal (transport, status, retry_after_ms);
}

void
gst_realtime_transport_emit_event (GstRealtimeTransport * transport,
    GstRealtimeServerEvent * event, const gchar * json, gsize json_size)
{
  transport->callbacks.event (transport, event, json, json_size,
      transport->user_data);
}

void
gst_realtime_transport_emit_malformed (GstRealtimeTransport * transport,
    const GError * error)
{
  transport->callbacks.malformed (transport, error, transport->user_data);
}

void
gst_realtime_transport_emit_closed (GstRealtimeTransport * transport,
    const GError * error, guint close_code)
{
  transport->callbacks.closed (transport, error, close_code,
      transport->user_data);
}
