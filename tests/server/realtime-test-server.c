/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* realtime-test-server: the test server as a program, for demos and for
 * poking at the element by hand. Prints its URL on the first line of
 * stdout and serves until SIGINT or SIGTERM. */

#include "realtimetestserver.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static const struct
{
  const gchar *name;
  RealtimeTestFault fault;
} fault_names[] = {
  {"refuse-key", REALTIME_TEST_FAULT_REFUSE_KEY},
  {"close-mid-response", REALTIME_TEST_FAULT_CLOSE_MID_RESPONSE},
  {"error-event", REALTIME_TEST_FAULT_ERROR_EVENT},
  {"malformed-frames", REALTIME_TEST_FAULT_MALFORMED_FRAMES},
  {"slow", REALTIME_TEST_FAULT_SLOW},
  {"hang-handshake", REALTIME_TEST_FAULT_HANG_HANDSHAKE},
  {"bearer-only", REALTIME_TEST_FAULT_BEARER_ONLY},
  {"ga-only", REALTIME_TEST_FAULT_GA_ONLY},
};

typedef struct
{
  gint port;
  gchar *key;
  gchar *record;
  gint slow_ms;
  gint lifetime_ms;
  gchar **faults;
  gchar *tls_cert;
  gchar *tls_key;
  gint function_calls;
  gboolean transcript_after_response;
  gboolean realtime_replies;
  gint items_per_response;
  gboolean interleave_items;
  gint response_delay_ms;
  gboolean drop_events;
} Options;

static gboolean
parse_faults (gchar ** names, RealtimeTestFault * faults, GError ** error)
{
  guint i, j;

  for (i = 0; names && names[i]; i++) {
    for (j = 0; j < G_N_ELEMENTS (fault_names); j++)
      if (g_str_equal (names[i], fault_names[j].name))
        break;
    if (j == G_N_ELEMENTS (fault_names)) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "unknown fault '%s'", names[i]);
      return FALSE;
    }
    *faults |= fault_names[j].fault;
  }
  return TRUE;
}

static gboolean
parse_options (Options * opts, int *argc, char ***argv, GError ** error)
{
  GOptionEntry entries[] = {
    {"port", 'p', 0, G_OPTION_ARG_INT, &opts->port,
        "Port to listen on, on 127.0.0.1 (default: a free port)", "N"},
    {"key", 'k', 0, G_OPTION_ARG_STRING, &opts->key,
        "Refuse clients that do not send this API key", "KEY"},
    {"record", 'r', 0, G_OPTION_ARG_FILENAME, &opts->record,
        "Write every client event to FILE, one JSON per line", "FILE"},
    {"slow-ms", 's', 0, G_OPTION_ARG_INT, &opts->slow_ms,
        "Answer slowly: wait N ms before each response and delta", "N"},
    {"lifetime-ms", 0, 0, G_OPTION_ARG_INT, &opts->lifetime_ms,
        "Expire sessions after N ms (error session_expired, close 1001)", "N"},
    {"fault", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &opts->faults,
        "Inject a fault: refuse-key, close-mid-response, error-event, "
          "malformed-frames, slow, hang-handshake, bearer-only or ga-only "
          "(repeatable)", "NAME"},
    {"tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opts->tls_cert,
        "Serve wss:// with this PEM certificate", "FILE"},
    {"tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opts->tls_key,
        "Private key for --tls-cert (PEM)", "FILE"},
    {"function-calls", 0, 0, G_OPTION_ARG_INT, &opts->function_calls,
        "Answer user turns with N calls of the session's first function "
          "tool", "N"},
    {"transcript-after-response", 0, 0, G_OPTION_ARG_NONE,
          &opts->transcript_after_response,
        "Send user transcripts after the turn's response.done", NULL},
    {"realtime-replies", 0, 0, G_OPTION_ARG_NONE, &opts->realtime_replies,
        "Send replies at the pace of their audio, as a model speaking; "
          "speech then interrupts them", NULL},
    {"items-per-response", 0, 0, G_OPTION_ARG_INT, &opts->items_per_response,
        "Answer with N assistant items: N - 1 preambles, then the reply", "N"},
    {"interleave-items", 0, 0, G_OPTION_ARG_NONE, &opts->interleave_items,
        "Start each item's audio before the previous item's is done", NULL},
    {"response-delay-ms", 0, 0, G_OPTION_ARG_INT, &opts->response_delay_ms,
        "Wait N ms after a turn's commit before response.created", "N"},
    {"drop-events", 0, 0, G_OPTION_ARG_NONE, &opts->drop_events,
        "Keep no client events in memory (for long benchmark runs)", NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- scripted Realtime server");
  gboolean ok;

  g_option_context_set_summary (ctx, "Serves the OpenAI Realtime protocol "
      "on 127.0.0.1 for testing the realtimeai element:\n"
      "  /v1/realtime         OpenAI; beta with 'OpenAI-Beta: realtime=v1'\n"
      "  /openai/v1/realtime  Azure GA (?model=DEPLOYMENT)\n"
      "  /openai/realtime     Azure preview, beta (?api-version=V&"
      "deployment=D)\n"
      "The key may come as 'Authorization: Bearer KEY' or 'api-key: KEY'.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ok = g_option_context_parse (ctx, argc, argv, error);
  g_option_context_free (ctx);
  if (ok && (opts->port < 0 || opts->port > 65535 || opts->slow_ms < 0
          || opts->lifetime_ms < 0 || opts->function_calls < 0
          || opts->items_per_response < 0 || opts->response_delay_ms < 0)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--port, --slow-ms, --lifetime-ms, --function-calls, "
        "--items-per-response and --response-delay-ms take non-negative "
        "numbers");
    ok = FALSE;
  }
  return ok;
}

static void
options_clear (Options * opts)
{
  g_free (opts->key);
  g_free (opts->record);
  g_strfreev (opts->faults);
  g_free (opts->tls_cert);
  g_free (opts->tls_key);
}

static gboolean
configure (RealtimeTestServer * server, const Options * opts, GError ** error)
{
  RealtimeTestFault faults = 0;

  if (!parse_faults (opts->faults, &faults, error))
    return FALSE;
  /* --slow-ms alone means "be slow" */
  if (opts->slow_ms > 0) {
    faults |= REALTIME_TEST_FAULT_SLOW;
    realtime_test_server_set_slow_ms (server, opts->slow_ms);
  }
  realtime_test_server_set_faults (server, faults);
  realtime_test_server_set_api_key (server, opts->key);
  realtime_test_server_set_record_file (server, opts->record);
  realtime_test_server_set_session_lifetime_ms (server, opts->lifetime_ms);
  realtime_test_server_set_function_calls (server, opts->function_calls);
  realtime_test_server_set_transcript_after_response (server,
      opts->transcript_after_response);
  realtime_test_server_set_realtime_replies (server, opts->realtime_replies);
  realtime_test_server_set_items_per_response (server,
      opts->items_per_response);
  realtime_test_server_set_interleave_items (server, opts->interleave_items);
  realtime_test_server_set_response_delay_ms (server, opts->response_delay_ms);
  realtime_test_server_set_drop_events (server, opts->drop_events);
  return TRUE;
}

static gboolean
start_server (RealtimeTestServer * server, const Options * opts,
    GError ** error)
{
  GTlsCertificate *cert = NULL;
  gboolean ok;

  if (opts->tls_cert) {
    cert = g_tls_certificate_new_from_files (opts->tls_cert,
        opts->tls_key ? opts->tls_key : opts->tls_cert, error);
    if (cert == NULL)
      return FALSE;
  }
  ok = realtime_test_server_start (server, opts->port, cert, error);
  g_clear_object (&cert);
  return ok;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
serve (RealtimeTestServer * server)
{
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  gchar *url = realtime_test_server_get_url (server);
  guint sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  guint sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);

  printf ("%s\n", url);
  fflush (stdout);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_main_loop_unref (loop);
  g_free (url);
}

int
main (int argc, char **argv)
{
  Options opts = { 0, };
  RealtimeTestServer *server = realtime_test_server_new ();
  GError *error = NULL;
  int status = EXIT_SUCCESS;

  if (parse_options (&opts, &argc, &argv, &error)
      && configure (server, &opts, &error)
      && start_server (server, &opts, &error)) {
    serve (server);
  } else {
    g_printerr ("realtime-test-server: %s\n", error->message);
    g_error_free (error);
    status = EXIT_FAILURE;
  }

  realtime_test_server_free (server);
  options_clear (&opts);
  return status;
}
