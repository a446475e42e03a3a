/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The link and the backlog on their own: what a lost connection leads to
 * (renewal, a reconnection after which delay, giving up with which
 * failure), and which audio a new connection must send again. GLib only,
 * no socket, thread or sleep. */

#include "gstrealtimebacklog.h"
#include "gstrealtimelink.h"
#include "gstrealtimeprotocol.h"

static const GstRealtimeReconnectPolicy default_policy = {
  TRUE, FALSE, 5, 500, 8000
};

static GstRealtimeLinkVerdict
lose (GstRealtimeLink * link, GstRealtimeLinkLoss loss, guint close_code,
    guint retry_after_ms, const GstRealtimeReconnectPolicy * policy)
{
  GstRealtimeLinkVerdict verdict;

  gst_realtime_link_lost (link, loss, close_code, retry_after_ms, policy,
      FALSE, &verdict);
  return verdict;
}

/* A link whose first session came up on connection 1. */
static GstRealtimeLink *
link_up (void)
{
  GstRealtimeLink *link = gst_realtime_link_new ();

  gst_realtime_link_session_created (link);
  g_assert_cmpint (gst_realtime_link_up (link, 1), ==,
      GST_REALTIME_LINK_UP_FIRST);
  return link;
}

static void
test_up_once_per_connection (void)
{
  GstRealtimeLink *link = link_up ();
  GstRealtimeLinkVerdict verdict;

  g_assert_true (gst_realtime_link_has_session (link));
  g_assert_true (gst_realtime_link_is_up (link));
  g_assert_cmpuint (gst_realtime_link_get_epoch (link), ==, 1);
  /* a later session.updated on the same connection */
  g_assert_cmpint (gst_realtime_link_up (link, 1), ==,
      GST_REALTIME_LINK_UP_ALREADY);

  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0,
      &default_policy);
  g_assert_false (gst_realtime_link_is_up (link));
  g_assert_false (gst_realtime_link_has_session (link));
  gst_realtime_link_verdict_clear (&verdict);
  /* the next session carries the conversation over */
  g_assert_cmpint (gst_realtime_link_up (link, 2), ==,
      GST_REALTIME_LINK_UP_AGAIN);
  g_assert_cmpuint (gst_realtime_link_get_epoch (link), ==, 2);

  gst_realtime_link_reset (link);
  g_assert_cmpint (gst_realtime_link_up (link, 3), ==,
      GST_REALTIME_LINK_UP_FIRST);
  gst_realtime_link_free (link);
}

/* Doubling from min-reconnect-delay, capped at max-reconnect-delay, and
 * the count of attempts starts again once a session is up. */
static void
test_backoff (void)
{
  static const guint expected[] = { 500, 1000, 2000, 4000, 8000 };
  GstRealtimeReconnectPolicy policy = default_policy;
  GstRealtimeLink *link = link_up ();
  GstRealtimeLinkVerdict verdict;
  guint i;

  policy.max_attempts = 0;
  for (i = 0; i < 8; i++) {
    verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0, &policy);
    g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_RECONNECT);
    g_assert_cmpuint (verdict.attempt, ==, i + 1);
    g_assert_cmpuint (verdict.delay_ms, ==,
        expected[MIN (i, G_N_ELEMENTS (expected) - 1)]);
  }
  gst_realtime_link_up (link, 2);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0, &policy);
  g_assert_cmpuint (verdict.attempt, ==, 1);
  g_assert_cmpuint (verdict.delay_ms, ==, 500);
  gst_realtime_link_free (link);
}

/* Never sooner than the server's Retry-After, but no more than 10 min. */
static void
test_retry_after (void)
{
  GstRealtimeLink *link = link_up ();
  GstRealtimeLinkVerdict verdict;

  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 3000,
      &default_policy);
  g_assert_cmpuint (verdict.delay_ms, ==, 3000);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 100,
      &default_policy);
  g_assert_cmpuint (verdict.delay_ms, ==, 1000);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 3600000,
      &default_policy);
  g_assert_cmpuint (verdict.delay_ms, ==, 600000);
  gst_realtime_link_free (link);
}

/* After max-reconnect-attempts failures the element gives up, saying how
 * many attempts failed. */
static void
test_max_attempts (void)
{
  GstRealtimeLink *link = link_up ();
  GstRealtimeLinkVerdict verdict;
  guint i;

  for (i = 0; i < default_policy.max_attempts; i++) {
    verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0,
        &default_policy);
    g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_RECONNECT);
  }
  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0,
      &default_policy);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_GIVE_UP);
  g_assert_cmpuint (verdict.attempt, ==, default_policy.max_attempts);
  g_assert_false (verdict.at_start);
  gst_realtime_link_free (link);
}

/* Which closes a new connection may fix. */
static void
test_close_classes (void)
{
  static const struct
  {
    guint code;
    gboolean recoverable;
  } closes[] = {
    {GST_REALTIME_CLOSE_NONE, TRUE},
    {GST_REALTIME_CLOSE_GOING_AWAY, TRUE},
    {GST_REALTIME_CLOSE_PROTOCOL_ERROR, TRUE},
    {GST_REALTIME_CLOSE_NO_STATUS, TRUE},
    {GST_REALTIME_CLOSE_ABNORMAL, TRUE},
    {GST_REALTIME_CLOSE_SERVER_ERROR, TRUE},
    {GST_REALTIME_CLOSE_SERVICE_RESTART, TRUE},
    {GST_REALTIME_CLOSE_TRY_AGAIN_LATER, TRUE},
    {1000, FALSE},
    {1008, FALSE},
    {GST_REALTIME_CLOSE_UNAUTHORIZED, FALSE},
    {GST_REALTIME_CLOSE_FORBIDDEN, FALSE},
    {4000, FALSE},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (closes); i++) {
    GstRealtimeLink *link = link_up ();
    GstRealtimeLinkVerdict verdict = lose (link,
        GST_REALTIME_LINK_LOSS_CLOSED, closes[i].code, 0, &default_policy);

    g_assert_cmpint (verdict.type == GST_REALTIME_LINK_RECONNECT, ==,
        closes[i].recoverable);
    /* a close that is no outage says no attempt failed */
    if (!closes[i].recoverable)
      g_assert_cmpuint (verdict.attempt, ==, 0);
    gst_realtime_link_free (link);
  }
}

/* A session the server said expired ends with its close, whatever the
 * code: the element reconnects. */
static void
test_expired_session_reconnects (void)
{
  GstRealtimeLink *link = link_up ();
  GstRealtimeLinkVerdict verdict;

  gst_realtime_link_note_expired (link);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_CLOSED, 4000, 0,
      &default_policy);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_RECONNECT);
  /* the expiry was the last connection's */
  gst_realtime_link_up (link, 2);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_CLOSED, 4000, 0,
      &default_policy);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_GIVE_UP);
  gst_realtime_link_free (link);
}

/* Renewal reconnects at once and counts no attempt, even past the limit
 * or with reconnect=false; the first connection retries only with
 * retry-at-start; a refused key never retries; a failed element never
 * reconnects. */
static void
test_who_retries (void)
{
  GstRealtimeReconnectPolicy no_reconnect = default_policy;
  GstRealtimeLink *link = link_up ();
  GstRealtimeLinkVerdict verdict;

  no_reconnect.reconnect = FALSE;
  verdict = lose (link, GST_REALTIME_LINK_LOSS_RENEWED, 0, 0, &no_reconnect);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_RENEW);
  g_assert_cmpuint (verdict.delay_ms, ==, 0);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0,
      &no_reconnect);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_GIVE_UP);
  g_assert_false (verdict.at_start);

  gst_realtime_link_reset (link);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0,
      &default_policy);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_GIVE_UP);
  g_assert_true (verdict.at_start);
  verdict = lose (link, GST_REALTIME_LINK_LOSS_FATAL, 0, 0, &default_policy);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_GIVE_UP);
  g_assert_cmpuint (verdict.attempt, ==, 0);

  no_reconnect.retry_at_start = TRUE;
  verdict = lose (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0,
      &no_reconnect);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_RECONNECT);

  gst_realtime_link_lost (link, GST_REALTIME_LINK_LOSS_TRANSIENT, 0, 0,
      &default_policy, TRUE, &verdict);
  g_assert_cmpint (verdict.type, ==, GST_REALTIME_LINK_GIVE_UP);
  gst_realtime_link_free (link);
}

/* The server's last error goes with the failure of its connection. */
static void
test_server_error_goes_with_its_connection (void)
{
  GstRealtimeLink *link = link_up ();
  GstRealtimeLinkVerdict verdict;

  gst_realtime_link_note_server_error (link, "first");
  gst_realtime_link_note_server_error (link, "Invalid API key");
  verdict = lose (link, GST_REALTIME_LINK_LOSS_CLOSED,
      GST_REALTIME_CLOSE_UNAUTHORIZED, 0, &default_policy);
  g_assert_cmpstr (verdict.server_error, ==, "Invalid API key");
  gst_realtime_link_verdict_clear (&verdict);
  g_assert_null (verdict.server_error);

  verdict = lose (link, GST_REALTIME_LINK_LOSS_CLOSED, 4000, 0,
      &default_policy);
  g_assert_null (verdict.server_error);
  gst_realtime_link_free (link);
}

/* ------------------------------------------------------------------ */
/* The backlog */

static gint live_chunks;

static gpointer
chunk_new (void)
{
  live_chunks++;
  return g_new0 (gchar, 1);
}

static void
chunk_free (gpointer chunk)
{
  live_chunks--;
  g_free (chunk);
}

/* Sent audio waits until the server settled it; after a loss all of it
 * goes again, in order, before what waited. */
static void
test_backlog_sends_again (void)
{
  GstRealtimeBacklog *backlog = gst_realtime_backlog_new (chunk_free);
  gpointer a = chunk_new (), b = chunk_new (), c = chunk_new ();
  guint64 samples;

  gst_realtime_backlog_set_limit (backlog, 24000);
  gst_realtime_backlog_push_sent (backlog, a, 2400, 100);
  gst_realtime_backlog_push_sent (backlog, b, 2400, 200);
  gst_realtime_backlog_settle (backlog, 100);
  g_assert_cmpuint (gst_realtime_backlog_get_samples (backlog), ==, 2400);
  g_assert_cmpint (live_chunks, ==, 2);

  gst_realtime_backlog_push_unsent (backlog, c, 2400);
  g_assert_true (gst_realtime_backlog_peek_unsent (backlog, &samples) == c);
  gst_realtime_backlog_unsend (backlog);
  g_assert_true (gst_realtime_backlog_peek_unsent (backlog, &samples) == b);
  gst_realtime_backlog_mark_sent (backlog, 100);
  g_assert_true (gst_realtime_backlog_peek_unsent (backlog, &samples) == c);
  gst_realtime_backlog_mark_sent (backlog, 200);
  g_assert_null (gst_realtime_backlog_peek_unsent (backlog, &samples));

  gst_realtime_backlog_free (backlog);
  g_assert_cmpint (live_chunks, ==, 0);
}

/* Past max-buffered-time the oldest audio goes; only audio no connection
 * ever had counts as lost. */
static void
test_backlog_limit (void)
{
  GstRealtimeBacklog *backlog = gst_realtime_backlog_new (chunk_free);
  guint i;

  gst_realtime_backlog_set_limit (backlog, 4800);
  gst_realtime_backlog_push_sent (backlog, chunk_new (), 2400, 100);
  gst_realtime_backlog_push_sent (backlog, chunk_new (), 2400, 200);
  g_assert_true (gst_realtime_backlog_is_full (backlog));
  for (i = 0; i < 3; i++)
    gst_realtime_backlog_push_unsent (backlog, chunk_new (), 2400);
  g_assert_cmpuint (gst_realtime_backlog_get_samples (backlog), ==, 4800);
  g_assert_cmpuint (gst_realtime_backlog_take_dropped (backlog), ==, 2400);
  g_assert_cmpuint (gst_realtime_backlog_take_dropped (backlog), ==, 0);
  g_assert_cmpint (live_chunks, ==, 2);

  gst_realtime_backlog_clear (backlog);
  g_assert_false (gst_realtime_backlog_is_full (backlog));
  g_assert_cmpint (live_chunks, ==, 0);
  gst_realtime_backlog_free (backlog);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/up-once-per-connection",
      test_up_once_per_connection);
  g_test_add_func ("/link/backoff", test_backoff);
  g_test_add_func ("/link/retry-after", test_retry_after);
  g_test_add_func ("/link/max-attempts", test_max_attempts);
  g_test_add_func ("/link/close-classes", test_close_classes);
  g_test_add_func ("/link/expired-session", test_expired_session_reconnects);
  g_test_add_func ("/link/who-retries", test_who_retries);
  g_test_add_func ("/link/server-error", test_server_error_goes_with_its_connection);
  g_test_add_func ("/backlog/sends-again", test_backlog_sends_again);
  g_test_add_func ("/backlog/limit", test_backlog_limit);
  return g_test_run ();
}
