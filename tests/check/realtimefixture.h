/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the element tests share: a test server, a pipeline
 * appsrc ! realtimeai ! appsink (audio) + realtimeai.text_src ! appsink,
 * generated tone/silence input, and checks of what came out. */

#ifndef __REALTIME_FIXTURE_H__
#define __REALTIME_FIXTURE_H__

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>

#include "realtimetestserver.h"

#define RATE 24000
#define TEST_KEY "sk-test-0123456789abcdef"
/* How long a test waits for the pipeline to end before it fails, times
 * CK_TIMEOUT_MULTIPLIER (valgrind runs are slower). */
#define PIPELINE_TIMEOUT (20 * GST_SECOND)

/* A span of generated input: a tone burst or silence. */
typedef struct
{
  gdouble seconds;
  gboolean tone;
} Part;

/* Three turns: speech-like tone bursts separated by silence. */
#define N_THREE_TURNS 9
extern const Part three_turns[N_THREE_TURNS];

typedef struct
{
  RealtimeTestServer *server;
  GstElement *pipeline;
  GstElement *appsrc;
  GstElement *ai;
  GstElement *audio_sink;
  GstElement *text_sink;
  gint n_warnings;              /* from the element, atomic */
  GMutex lock;
  GCond cond;
  GPtrArray *messages;          /* GstStructure *, element messages */
  GPtrArray *warnings;          /* GError *, the element's warnings */
  GPtrArray *server_events;     /* gchar *, types from server-event */
} Fixture;

typedef struct
{
  RealtimeTestServer *server;   /* started; NULL for a new one */
  RealtimeTestFault faults;     /* of the new one */
  const gchar *path;            /* URL path and query; NULL: the server's */
  const gchar *before;          /* elements between appsrc and realtimeai */
  const gchar *audio_caps;      /* caps filter in front of the audio sink */
  const gchar *props;           /* realtimeai properties */
} FixtureOptions;

typedef struct
{
  GstClockTime pts;
  GstClockTime duration;
  gboolean discont;
  gchar *text;
  gsize size;
  gchar *role;                  /* of the text meta */
  gchar *item_id;               /* of the text meta, or NULL */
  gchar *response_id;           /* of the text meta, or NULL */
} Output;


/* CK_TIMEOUT_MULTIPLIER, at least 1: how much longer waits may take. */
guint timeout_multiplier (void);
RealtimeTestServer *start_server (RealtimeTestFault faults);
GstElement *make_pipeline (const gchar * description, ...);
void fixture_setup (Fixture * f, RealtimeTestFault faults,
    const gchar * props);
void fixture_setup_with (Fixture * f, const FixtureOptions * options);
GPtrArray *fixture_messages (Fixture * f, const gchar * name);
/* How many warnings the element posted in @domain/@code whose text holds
 * @fragment (any text when NULL). */
guint fixture_count_warnings (Fixture * f, GQuark domain, gint code,
    const gchar * fragment);
void assert_client_events_valid_in (RealtimeTestServer * server,
    const gchar * name, gboolean beta);
void fixture_teardown (Fixture * f);
GstBuffer *make_audio (gdouble seconds, gboolean tone, guint64 * offset);
GstFlowReturn push_parts (Fixture * f, const Part * parts, guint n_parts,
    guint64 * offset);
GstMessage *wait_for_end (Fixture * f, GstClockTime timeout);
void assert_eos (Fixture * f);
GPtrArray *collect (GstElement * appsink);
void assert_monotonic (GPtrArray * outputs);
gchar *text_between (GPtrArray * outputs, GstClockTime start,
    GstClockTime end);
GstClockTime ms_to_time (gint64 ms);
void assert_client_events_valid (RealtimeTestServer * server,
    const gchar * name);
GArray *server_turns (Fixture * f, guint expected);
void run_parts (Fixture * f, const Part * parts, guint n_parts);
void push_parts_and_wait (Fixture * f, const Part * parts, guint n_parts);
gchar *client_event_value (RealtimeTestServer * server, const gchar * type,
    guint nth, const gchar * path);
void assert_client_event_value (RealtimeTestServer * server,
    const gchar * type, const gchar * path, const gchar * expected);
gchar *all_text (GPtrArray * outputs);
guint count_buffers (GstElement * appsink);
/* The pipeline fails with an error from the element in @domain/@code,
 * whose text or detail holds @fragment (and never the key). */
void assert_error (Fixture * f, GQuark domain, gint code,
    const gchar * fragment);
/* Plays and pushes, for tests in which the element fails midway. */
void play_and_push (Fixture * f, const Part * parts, guint n_parts);
void fixture_watch_server_events (Fixture * f);
gboolean fixture_wait_server_event (Fixture * f, const gchar * type,
    guint count, guint timeout_ms);

/* Waits until @count element messages named @name (with @field equal to
 * @value, unless @field is NULL) have been posted. */
gboolean fixture_wait_message (Fixture * f, const gchar * name,
    const gchar * field, const gchar * value, guint count, guint timeout_ms);
/* The element's warnings so far, one a line. */
gchar *fixture_warnings (Fixture * f);
gboolean fixture_wait_warnings (Fixture * f, GQuark domain, gint code,
    const gchar * fragment, guint count, guint timeout_ms);

#endif /* __REALTIME_FIXTURE_H__ */
