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

#include "gstrealtimelink.h"
#include <string.h>

#include "gstrealtimeprotocol.h"

/* The longest a Retry-After is obeyed, as the longest max-reconnect-delay. */
#define MAX_RETRY_AFTER_MS 600000

struct _GstRealtimeLink
{
  gboolean session_created;     /* on the current connection */
  gboolean up;                  /* configured: audio goes to the server */
  guint epoch;                  /* the connection's, when it came up */
  gboolean ever_up;
  gboolean expired;             /* the server said the session expired */
  guint attempt;                /* reconnections since the last session */
  gchar *server_error;
};

GstRealtimeLink *
gst_realtime_link_new (void)
{
  return g_new0 (GstRealtimeLink, 1);
}

void
gst_realtime_link_free (GstRealtimeLink * link)
{
  if (!link)
    return;
  g_free (link->server_error);
  g_free (link);
}

void
gst_realtime_link_reset (GstRealtimeLink * link)
{
  g_free (link->server_error);
  memset (link, 0, sizeof (*link));
}

void
gst_realtime_link_session_created (GstRealtimeLink * link)
{
  link->session_created = TRUE;
}

gboolean
gst_realtime_link_has_session (GstRealtimeLink * link)
{
  return link->session_created;
}

GstRealtimeLinkUp
gst_realtime_link_up (GstRealtimeLink * link, guint epoch)
{
  gboolean again = link->ever_up;

  if (link->up)
    return GST_REALTIME_LINK_UP_ALREADY;
  link->up = link->ever_up = TRUE;
  link->epoch = epoch;
  link->attempt = 0;
  return again ? GST_REALTIME_LINK_UP_AGAIN : GST_REALTIME_LINK_UP_FIRST;
}

gboolean
gst_realtime_link_is_up (GstRealtimeLink * link)
{
  return link->up;
}

guint
gst_realtime_link_get_epoch (GstRealtimeLink * link)
{
  return link->epoch;
}

void
gst_realtime_link_note_server_error (GstRealtimeLink * link,
    const gchar * message)
{
  g_free (link->server_error);
  link->server_error = g_strdup (message);
}

void
gst_realtime_link_note_expired (GstRealtimeLink * link)
{
  link->expired = TRUE;
}

/* Closes a new connection may fix: the network's, the server's restarts
 * and overloads. Not a close the server meant (4000, 1008, 3000, ...). */
static gboolean
close_is_recoverable (guint code)
{
  switch (code) {
    case GST_REALTIME_CLOSE_NONE:      /* no close frame: the network went */
    case GST_REALTIME_CLOSE_PROTOCOL_ERROR:    /* libsoup's, for 1012 and 1013 */
    case GST_REALTIME_CLOSE_GOING_AWAY:
    case GST_REALTIME_CLOSE_NO_STATUS:
    case GST_REALTIME_CLOSE_ABNORMAL:
    case GST_REALTIME_CLOSE_SERVER_ERROR:
    case GST_REALTIME_CLOSE_SERVICE_RESTART:
    case GST_REALTIME_CLOSE_TRY_AGAIN_LATER:
      return TRUE;
    default:
      return FALSE;
  }
}

static gboolean
is_recoverable (GstRealtimeLink * link, GstRealtimeLinkLoss loss,
    guint close_code)
{
  switch (loss) {
    case GST_REALTIME_LINK_LOSS_RENEWED:
    case GST_REALTIME_LINK_LOSS_TRANSIENT:
      return TRUE;
    case GST_REALTIME_LINK_LOSS_CLOSED:
      /* an expired session's close is the end the server announced */
      return link->expired || close_is_recoverable (close_code);
    default:
      return FALSE;
  }
}

/* A session that was up retries with `reconnect`; the first connection
 * only with `retry-at-start`: failing there, the settings are more likely
 * wrong than the network. */
static gboolean
may_reconnect (GstRealtimeLink * link,
    const GstRealtimeReconnectPolicy * policy)
{
  gboolean enabled = link->ever_up ? policy->reconnect :
      policy->retry_at_start;

  return enabled && (policy->max_attempts == 0
      || link->attempt < policy->max_attempts);
}

/* Doubling from min-reconnect-delay up to max-reconnect-delay, but never
 * sooner than the server's Retry-After. */
static guint
reconnect_delay (guint attempt, const GstRealtimeReconnectPolicy * policy,
    guint retry_after_ms)
{
  guint64 delay = policy->min_delay_ms;

  while (--attempt > 0 && delay < policy->max_delay_ms)
    delay *= 2;
  delay = MIN (delay, policy->max_delay_ms);
  return MAX (delay, MIN (retry_after_ms, MAX_RETRY_AFTER_MS));
}

void
gst_realtime_link_lost (GstRealtimeLink * link, GstRealtimeLinkLoss loss,
    guint close_code, guint retry_after_ms,
    const GstRealtimeReconnectPolicy * policy, gboolean failed,
    GstRealtimeLinkVerdict * verdict)
{
  gboolean recoverable = is_recoverable (link, loss, close_code);

  memset (verdict, 0, sizeof (*verdict));
  link->up = link->session_created = link->expired = FALSE;
  if (recoverable && loss == GST_REALTIME_LINK_LOSS_RENEWED) {
    verdict->type = GST_REALTIME_LINK_RENEW;
  } else if (recoverable && !failed && may_reconnect (link, policy)) {
    verdict->type = GST_REALTIME_LINK_RECONNECT;
    verdict->attempt = ++link->attempt;
    verdict->delay_ms = reconnect_delay (link->attempt, policy,
        retry_after_ms);
  } else {
    verdict->type = GST_REALTIME_LINK_GIVE_UP;
    verdict->attempt = recoverable ? link->attempt : 0;
    verdict->at_start = !link->ever_up;
  }
  /* the error belongs to the connection that ended */
  verdict->server_error = g_steal_pointer (&link->server_error);
}

void
gst_realtime_link_verdict_clear (GstRealtimeLinkVerdict * verdict)
{
  g_clear_pointer (&verdict->server_error, g_free);
}
