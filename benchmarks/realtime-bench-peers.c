/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* realtime-bench-peers: realtimeai against the clients a user could write
 * instead, side by side, in one run.
 *
 *   GST_PLUGIN_PATH=build/gst/realtime build/benchmarks/realtime-bench-peers
 *
 * Every client is a process of its own (realtime-bench-client for the
 * element, benchmarks/peers/ for the others) and talks wss:// on
 * 127.0.0.1 to a realtime-test-server process started for it alone, with
 * a self-signed certificate made for the run. All stream the same input
 * file (tone bursts and silence; the server echoes each turn as the
 * reply) in 100 ms appends and decode every reply delta. The driver reads
 * each client's rusage when it exits: CPU (user + system) of the whole
 * process, start-up included, per duplex audio-hour, DH = (input bytes +
 * reply bytes) / 2 / 48000 / 3600, and its peak RSS; each client also
 * counts its own CPU from its session's configuration to the end
 * (streaming only, start-up left out). The clients run one after another,
 * --repeats rounds; min and median of the rounds. Then realtimeai alone
 * with --sessions sessions in one process at real time. */

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define RATE 24000
#define KEY "sk-bench-0123456789abcdef"
#define CLIENT_TIMEOUT_S 900
#define MAX_REPEATS 15

typedef struct
{
  gint minutes;
  gint repeats;
  gchar *only;                  /* comma-separated client names, or NULL */
  gchar *python;
  gchar *node;
  gchar *server;
  gchar *peers_dir;
  gchar *sessions;              /* comma-separated counts, or "" */
  gint sessions_seconds;
} Options;

/* One run of one client. */
typedef struct
{
  gdouble cpu_s, server_cpu_s, wall_s;
  glong rss_kib;
  guint64 in_bytes, reply_bytes;
  gdouble lag_ms;               /* realtimeai at real time: the pusher's */
  gdouble stream_cpu_s;         /* as the client counted it, from its
                                 * session's configuration to the end */
} Sample;

typedef struct
{
  const gchar *name;
  const gchar *label;
  gchar **argv;                 /* NULL until set up: URL at [url_arg] */
  gint url_arg;
  gboolean realtime;            /* its server replies at speech pace */
  gchar *skipped;               /* why it does not run, or NULL */
  Sample samples[MAX_REPEATS];
  gint n_samples;
} Client;

/* What all runs share. */
typedef struct
{
  gchar *dir, *cert, *key, *input;
  guint64 input_bytes;
} Setup;

/* ------------------------------------------------------------------ */
/* the input and the certificate */

/* At least @minutes of speech-like audio, whole cycles of the one
 * realtime-bench uses: tone bursts of 0.6 to 2 s, each followed by 0.8 s
 * of silence, so that every turn ends before the input does. */
static gboolean
write_input (Setup * s, gint minutes)
{
  static const gdouble parts[] = { 0.6, 0.8, 1.4, 0.8, 2.0, 0.8, 1.0, 0.8 };
  guint cycle = 0, i, j, k, len;
  guint64 n = 0;
  FILE *f = fopen (s->input, "wb");

  if (!f)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (parts); i++)
    cycle += (guint) (parts[i] * RATE + 0.5);
  for (k = 0; k < ((guint64) minutes * 60 * RATE + cycle - 1) / cycle; k++) {
    for (i = 0; i < G_N_ELEMENTS (parts); i++) {
      len = (guint) (parts[i] * RATE + 0.5);
      for (j = 0; j < len; j++, n++) {
        gint16 v = i % 2 ? 0 :
            (gint16) (8000 * sin (2 * G_PI * 440 * n / RATE));

        v = GINT16_TO_LE (v);
        fwrite (&v, 2, 1, f);
      }
    }
  }
  s->input_bytes = n * 2;
  return fclose (f) == 0;
}

static gboolean
make_certificate (Setup * s)
{
  const gchar *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048",
    "-nodes", "-subj", "/CN=localhost", "-days", "1",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout", s->key, "-out", s->cert, NULL
  };
  gint status;

  return g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH |
      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
      NULL, NULL, &status, NULL) && g_spawn_check_wait_status (status, NULL);
}

/* ------------------------------------------------------------------ */
/* processes */

static gdouble
rusage_cpu_s (const struct rusage *ru)
{
  return ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
      ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* Starts @argv with its stdout on a pipe, which @out gets. */
static GPid
spawn (gchar ** argv, gchar ** envp, FILE ** out)
{
  GError *error = NULL;
  GPid pid = 0;
  gint fd;

  if (!g_spawn_async_with_pipes (NULL, argv, envp, G_SPAWN_SEARCH_PATH |
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &fd, NULL,
          &error)) {
    g_printerr ("# cannot start %s: %s\n", argv[0], error->message);
    g_error_free (error);
    return 0;
  }
  *out = fdopen (fd, "r");
  return pid;
}

/* Reaps @pid, killing it after @timeout_s; its rusage goes to @ru. */
static gboolean
reap (GPid pid, gint timeout_s, struct rusage *ru)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gint status;

  /* a poll every 10 ms: the driver's CPU is not measured */
  while (wait4 (pid, &status, WNOHANG, ru) == 0) {
    if (g_get_monotonic_time () > deadline) {
      g_printerr ("# pid %d timed out\n", (gint) pid);
      kill (pid, SIGKILL);
    }
    g_usleep (10000);
  }
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* Starts a server of its own for one client; @url gets its URL. With
 * @realtime, replies go at the pace of speech. */
static GPid
server_start (const Options * o, const Setup * s, gboolean realtime,
    FILE ** out, gchar ** url)
{
  const gchar *argv[] = { o->server, "--tls-cert", s->cert, "--tls-key",
    s->key, "--key", KEY, "--drop-events",
    realtime ? "--realtime-replies" : NULL, NULL
  };
  struct rusage ru;
  gchar line[512];
  GPid pid = spawn ((gchar **) argv, NULL, out);

  if (!pid)
    return 0;
  if (!fgets (line, sizeof line, *out)) {
    reap (pid, 5, &ru);
    fclose (*out);
    return 0;
  }
  *url = g_strdup (g_strchomp (line));
  return pid;
}

static gboolean
run_once (Client * c, const Options * o, const Setup * s, Sample * sample)
{
  gchar **envp = g_get_environ ();
  FILE *server_out = NULL, *out = NULL;
  struct rusage ru, server_ru = { {0} };
  gchar line[256] = "", *url = NULL;
  GPid server, pid;
  gint64 start;
  gboolean ok = FALSE;

  envp = g_environ_setenv (envp, "OPENAI_API_KEY", KEY, TRUE);
  envp = g_environ_setenv (envp, "NODE_EXTRA_CA_CERTS", s->cert, TRUE);
  if (!(server = server_start (o, s, c->realtime, &server_out, &url)))
    goto out;
  c->argv[c->url_arg] = url;
  start = g_get_monotonic_time ();
  if ((pid = spawn (c->argv, envp, &out))) {
    ok = reap (pid, CLIENT_TIMEOUT_S, &ru);
    sample->wall_s = (g_get_monotonic_time () - start) / 1e6;
    ok = ok && fgets (line, sizeof line, out)
        && sscanf (line, "in=%" G_GUINT64_FORMAT " reply=%" G_GUINT64_FORMAT
        " stream_cpu_s=%lf lag_ms=%lf", &sample->in_bytes,
        &sample->reply_bytes, &sample->stream_cpu_s, &sample->lag_ms) >= 3;
    fclose (out);
  }
  kill (server, SIGTERM);
  reap (server, 10, &server_ru);
  fclose (server_out);
  c->argv[c->url_arg] = NULL;
  if (ok) {
    sample->cpu_s = rusage_cpu_s (&ru);
    sample->rss_kib = ru.ru_maxrss;
    sample->server_cpu_s = rusage_cpu_s (&server_ru);
  }
out:
  g_free (url);
  g_strfreev (envp);
  return ok;
}

/* ------------------------------------------------------------------ */
/* the clients */

static gboolean
python_has_websockets (const gchar * python)
{
  const gchar *argv[] = { python, "-c", "import websockets", NULL };
  gint status;

  return g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH |
      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
      NULL, NULL, &status, NULL) && g_spawn_check_wait_status (status, NULL);
}

/* Sets up @c's command line, or says why it is skipped. */
static void
client_init (Client * c, const Options * o, const Setup * s,
    const gchar * self_dir)
{
  gchar *script = NULL, *module = NULL;
  gboolean node = g_str_has_suffix (c->name, "-node");

  if (g_str_equal (c->name, "realtimeai")) {
    c->argv = g_new0 (gchar *, 5);
    c->argv[0] = g_build_filename (self_dir, "realtime-bench-client", NULL);
    c->argv[2] = g_strdup (s->input);
    c->argv[3] = g_strdup (s->cert);
    c->url_arg = 1;
    return;
  }
  if (node) {
    script = g_strdup_printf ("%s/%.*s-client.mjs", o->peers_dir,
        (gint) strcspn (c->name, "-"), c->name);
    module = g_build_filename (o->peers_dir, "node_modules",
        g_str_has_prefix (c->name, "sdk") ? "openai" : "ws", "package.json",
        NULL);
    if (!g_find_program_in_path (o->node))
      c->skipped = g_strdup ("no node: apt-get install nodejs npm");
    else if (!g_file_test (module, G_FILE_TEST_EXISTS))
      c->skipped = g_strdup_printf ("not installed: cd %s && npm ci",
          o->peers_dir);
    c->argv = g_new0 (gchar *, 5);
    c->argv[0] = g_strdup (o->node);
    c->argv[1] = script;
    c->argv[3] = g_strdup (s->input);
    c->url_arg = 2;
  } else {
    if (!python_has_websockets (o->python))
      c->skipped = g_strdup_printf ("no websockets module for %s: "
          "apt-get install python3-websockets", o->python);
    c->argv = g_new0 (gchar *, 6);
    c->argv[0] = g_strdup (o->python);
    c->argv[1] = g_build_filename (o->peers_dir, "python-client.py", NULL);
    c->argv[3] = g_strdup (s->input);
    c->argv[4] = g_strdup (s->cert);
    c->url_arg = 2;
  }
  g_free (module);
}

/* ------------------------------------------------------------------ */
/* the table */

static gdouble
dh_hours (const Sample * s)
{
  return (s->in_bytes + s->reply_bytes) / 2.0 / (RATE * 2) / 3600;
}

static gint
compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* Min and median of field @get of @c's samples. */
static void
stats (const Client * c, gdouble (*get) (const Sample *), gdouble * min,
    gdouble * median)
{
  gdouble v[MAX_REPEATS];
  gint i, n = c->n_samples;

  for (i = 0; i < n; i++)
    v[i] = get (&c->samples[i]);
  qsort (v, n, sizeof (gdouble), compare_double);
  *min = v[0];
  *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static gdouble
cpu_per_dh (const Sample * s)
{
  return s->cpu_s / dh_hours (s);
}

static gdouble
stream_per_dh (const Sample * s)
{
  return s->stream_cpu_s / dh_hours (s);
}

static gdouble
server_per_dh (const Sample * s)
{
  return s->server_cpu_s / dh_hours (s);
}

static gdouble
rss_mib (const Sample * s)
{
  return s->rss_kib / 1024.0;
}

static gdouble
wall (const Sample * s)
{
  return s->wall_s;
}

static void
print_table (Client * clients, gint n, const Options * o)
{
  gdouble base = 0, stream_base = 0, min, median, stream_min, stream, x,
      rss, srv, w;
  gint i, j;

  g_print ("\n| client | CPU-s / DH, min | median | x realtimeai | "
      "streaming only, min | median | x realtimeai | peak RSS MiB | "
      "server CPU-s / DH | in / reply s | wall s |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (i = 0; i < n; i++) {
    Client *c = &clients[i];
    const Sample *s = &c->samples[0];

    if (c->skipped || c->n_samples == 0) {
      g_print ("| %s | %s |\n", c->label, c->skipped ? c->skipped : "failed");
      continue;
    }
    stats (c, cpu_per_dh, &min, &median);
    stats (c, stream_per_dh, &stream_min, &stream);
    stats (c, rss_mib, &x, &rss);
    stats (c, server_per_dh, &x, &srv);
    stats (c, wall, &x, &w);
    if (g_str_equal (c->name, "realtimeai")) {
      base = median;
      stream_base = stream;
    }
    g_print ("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | "
        "%.2f | %.0f / %.0f | %.1f |\n", c->label, min, median,
        base > 0 ? median / base : 0, stream_min, stream,
        stream_base > 0 ? stream / stream_base : 0, rss, srv,
        s->in_bytes / 2.0 / RATE, s->reply_bytes / 2.0 / RATE, w);
    for (j = 1; j < c->n_samples; j++)
      if (c->samples[j].reply_bytes != s->reply_bytes)
        g_print ("  (%s: the reply differed between runs)\n", c->name);
  }
  g_print ("\n%d min of input, %d rounds of the clients one after "
      "another; wss:// (RSA 2048), a server process for each run; "
      "medians of the rounds, peak RSS too\n", o->minutes, o->repeats);
}

/* ------------------------------------------------------------------ */

/* realtimeai with @k sessions at real time, the server speaking its
 * replies at the pace of speech. */
static void
scaling_client_init (Client * c, const Options * o, const Setup * s,
    const gchar * self_dir, gint k)
{
  c->name = "realtimeai";
  c->realtime = TRUE;
  c->argv = g_new0 (gchar *, 9);
  c->argv[0] = g_build_filename (self_dir, "realtime-bench-client", NULL);
  c->argv[1] = g_strdup ("--sessions");
  c->argv[2] = g_strdup_printf ("%d", k);
  c->argv[3] = g_strdup ("--seconds");
  c->argv[4] = g_strdup_printf ("%d", o->sessions_seconds);
  c->argv[6] = g_strdup (s->input);
  c->argv[7] = g_strdup (s->cert);
  c->url_arg = 5;
}

static gdouble
core_share (const Sample * s)
{
  return s->cpu_s / s->wall_s * 100;
}

static gdouble
server_share (const Sample * s)
{
  return s->server_cpu_s / s->wall_s * 100;
}

/* How the element's cost grows with the sessions of one process. */
static void
measure_scaling (const Options * o, const Setup * s, const gchar * self_dir)
{
  gchar **counts = g_strsplit (o->sessions, ",", -1);
  gdouble min, median, whole, rss, rss1 = -1, x, share, srv, worst;
  gint i, r, k;

  g_print ("\n| sessions | streaming CPU-s / session-DH, min | median | "
      "whole process | CPU, %% of "
      "a core | peak RSS MiB | RSS / extra session KiB | pusher lag ms, "
      "worst | server CPU, %% of a core |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (i = 0; counts[i] && (k = atoi (counts[i])) > 0; i++) {
    Client c = { NULL, };

    scaling_client_init (&c, o, s, self_dir, k);
    for (r = 0; r < o->repeats; r++) {
      Sample *sample = &c.samples[c.n_samples];

      if (!run_once (&c, o, s, sample)) {
        g_printerr ("# %d sessions, round %d: failed\n", k, r + 1);
        continue;
      }
      c.n_samples++;
      g_printerr ("# %d sessions, round %d: %.2f CPU-s (%.2f / DH), "
          "%ld KiB, lag %.1f ms, %.1f s\n", k, r + 1, sample->cpu_s,
          cpu_per_dh (sample), sample->rss_kib, sample->lag_ms, sample->wall_s);
    }
    if (c.n_samples == 0) {
      g_print ("| %d | failed |\n", k);
    } else {
      stats (&c, stream_per_dh, &min, &median);
      stats (&c, cpu_per_dh, &x, &whole);
      stats (&c, rss_mib, &x, &rss);
      stats (&c, core_share, &x, &share);
      stats (&c, server_share, &x, &srv);
      worst = c.samples[0].lag_ms;
      for (r = 1; r < c.n_samples; r++)
        worst = MAX (worst, c.samples[r].lag_ms);
      if (rss1 < 0 && k == 1)
        rss1 = rss;
      g_print ("| %d | %.2f | %.2f | %.2f | %.1f | %.0f | ", k, min, median,
          whole, share, rss);
      if (rss1 >= 0 && k > 1)
        g_print ("%.0f | ", (rss - rss1) * 1024 / (k - 1));
      else
        g_print ("- | ");
      g_print ("%.1f | %.1f |\n", worst, srv);
    }
    g_strfreev (c.argv);
  }
  g_print ("\n%d s of real-time input per session, the pusher one thread "
      "for all; medians of %d rounds\n", o->sessions_seconds, o->repeats);
  g_strfreev (counts);
}

static gboolean
parse_options (Options * o, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    {"minutes", 'm', 0, G_OPTION_ARG_INT, &o->minutes,
        "Minutes of input audio (default 30)", "N"},
    {"repeats", 'r', 0, G_OPTION_ARG_INT, &o->repeats,
        "Rounds of all clients (default 3)", "N"},
    {"clients", 'c', 0, G_OPTION_ARG_STRING, &o->only,
        "Only these, comma-separated: realtimeai, sdk-node, ws-node, "
          "python (default all)", "LIST"},
    {"python", 0, 0, G_OPTION_ARG_FILENAME, &o->python,
        "Python with python3-websockets (default /usr/bin/python3)", "PATH"},
    {"node", 0, 0, G_OPTION_ARG_FILENAME, &o->node,
        "Node.js (default node)", "PATH"},
    {"server", 0, 0, G_OPTION_ARG_FILENAME, &o->server,
        "realtime-test-server (default the one built with this)", "PATH"},
    {"sessions", 's', 0, G_OPTION_ARG_STRING, &o->sessions,
          "realtimeai at real time with these numbers of sessions in one "
          "process, comma-separated; \"\" skips (default 1,10,50,200)",
        "LIST"},
    {"sessions-seconds", 0, 0, G_OPTION_ARG_INT, &o->sessions_seconds,
          "Seconds of real-time input per session for those (default 20)",
        "S"},
    {"peers-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->peers_dir,
          "The peers' scripts and node_modules (default benchmarks/peers)",
        "DIR"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- realtimeai and its peers");
  GError *error = NULL;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  ok = g_option_context_parse (ctx, argc, argv, &error);
  if (!ok)
    g_printerr ("%s\n", error->message);
  g_clear_error (&error);
  g_option_context_free (ctx);
  if (!o->python)
    o->python = g_strdup ("/usr/bin/python3");
  if (!o->node)
    o->node = g_strdup ("node");
  if (!o->server)
    o->server = g_strdup (SERVER_PATH);
  if (!o->peers_dir)
    o->peers_dir = g_strdup (PEERS_DIR);
  if (!o->sessions)
    o->sessions = g_strdup ("1,10,50,200");
  return ok && o->minutes > 0 && o->repeats > 0 && o->repeats <= MAX_REPEATS
      && o->sessions_seconds > 0;
}

static gboolean
setup_init (Setup * s, const Options * o)
{
  if (!(s->dir = g_dir_make_tmp ("realtime-bench-peers-XXXXXX", NULL)))
    return FALSE;
  s->cert = g_build_filename (s->dir, "cert.pem", NULL);
  s->key = g_build_filename (s->dir, "key.pem", NULL);
  s->input = g_build_filename (s->dir, "input.s16le", NULL);
  if (!make_certificate (s)) {
    g_printerr ("openssl could not make a certificate\n");
    return FALSE;
  }
  return write_input (s, o->minutes);
}

static void
setup_clear (Setup * s)
{
  if (s->input)
    g_unlink (s->input);
  if (s->cert)
    g_unlink (s->cert);
  if (s->key)
    g_unlink (s->key);
  if (s->dir)
    g_rmdir (s->dir);
  g_free (s->input);
  g_free (s->cert);
  g_free (s->key);
  g_free (s->dir);
}

static gboolean
wanted (const Options * o, const gchar * name)
{
  gchar **names;
  gboolean found;

  if (!o->only)
    return TRUE;
  names = g_strsplit (o->only, ",", -1);
  found = g_strv_contains ((const gchar * const *) names, name);
  g_strfreev (names);
  return found;
}

int
main (int argc, char **argv)
{
  Options o = { 30, 3, };
  Setup s = { NULL, };
  Client clients[] = {
    {"realtimeai", "realtimeai (C, GStreamer)"},
    {"sdk-node", "openai SDK, OpenAIRealtimeWS (Node)"},
    {"ws-node", "raw ws client (Node)"},
    {"python", "python3-websockets client"},
  };
  gint n = G_N_ELEMENTS (clients), i, r;
  gchar *self_dir;

  o.sessions_seconds = 20;
  if (!parse_options (&o, &argc, &argv))
    return 2;
  if (!setup_init (&s, &o)) {
    setup_clear (&s);
    return 1;
  }
  self_dir = g_path_get_dirname (argv[0]);
  for (i = 0; i < n; i++) {
    client_init (&clients[i], &o, &s, self_dir);
    if (!wanted (&o, clients[i].name) && !clients[i].skipped)
      clients[i].skipped = g_strdup ("not asked for (--clients)");
    if (clients[i].skipped)
      g_printerr ("# %s: skipped: %s\n", clients[i].name, clients[i].skipped);
  }
  for (r = 0; r < o.repeats; r++) {
    for (i = 0; i < n; i++) {
      Client *c = &clients[i];
      Sample *sample = &c->samples[c->n_samples];

      if (c->skipped)
        continue;
      if (!run_once (c, &o, &s, sample)) {
        g_printerr ("# %s, round %d: failed\n", c->name, r + 1);
        continue;
      }
      c->n_samples++;
      g_printerr ("# %s, round %d: %.2f CPU-s (%.2f / DH), %ld KiB, "
          "%.1f s\n", c->name, r + 1, sample->cpu_s, cpu_per_dh (sample),
          sample->rss_kib, sample->wall_s);
    }
  }
  print_table (clients, n, &o);
  if (*o.sessions)
    measure_scaling (&o, &s, self_dir);

  for (i = 0; i < n; i++) {
    g_strfreev (clients[i].argv);
    g_free (clients[i].skipped);
  }
  g_free (self_dir);
  setup_clear (&s);
  g_free (o.only);
  g_free (o.python);
  g_free (o.node);
  g_free (o.server);
  g_free (o.peers_dir);
  g_free (o.sessions);
  return 0;
}
