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

#include "gstrealtimebacklog.h"

typedef struct
{
  gpointer data;
  guint64 samples;
  guint64 end_ms;               /* valid once sent */
  gboolean ever_sent;           /* some connection had it */
} Chunk;

/* The first n_sent chunks were sent; the rest wait. */
struct _GstRealtimeBacklog
{
  GQueue chunks;
  guint n_sent;
  guint64 samples;
  guint64 max_samples;
  guint64 dropped;              /* never sent, since the last take */
  GDestroyNotify free_data;
};

static void
chunk_free (GstRealtimeBacklog * backlog, Chunk * chunk)
{
  backlog->free_data (chunk->data);
  g_free (chunk);
}

GstRealtimeBacklog *
gst_realtime_backlog_new (GDestroyNotify free_chunk)
{
  GstRealtimeBacklog *backlog = g_new0 (GstRealtimeBacklog, 1);

  g_queue_init (&backlog->chunks);
  backlog->free_data = free_chunk;
  return backlog;
}

void
gst_realtime_backlog_free (GstRealtimeBacklog * backlog)
{
  if (!backlog)
    return;
  gst_realtime_backlog_clear (backlog);
  g_free (backlog);
}

void
gst_realtime_backlog_clear (GstRealtimeBacklog * backlog)
{
  Chunk *chunk;

  while ((chunk = g_queue_pop_head (&backlog->chunks)))
    chunk_free (backlog, chunk);
  backlog->n_sent = 0;
  backlog->samples = 0;
  backlog->dropped = 0;
}

void
gst_realtime_backlog_set_limit (GstRealtimeBacklog * backlog,
    guint64 max_samples)
{
  backlog->max_samples = max_samples;
}

static Chunk *
push_chunk (GstRealtimeBacklog * backlog, gpointer data, guint64 samples)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->data = data;
  chunk->samples = samples;
  g_queue_push_tail (&backlog->chunks, chunk);
  backlog->samples += samples;
  return chunk;
}

static void
drop_oldest (GstRealtimeBacklog * backlog)
{
  Chunk *chunk = g_queue_pop_head (&backlog->chunks);

  backlog->samples -= chunk->samples;
  if (backlog->n_sent > 0)
    backlog->n_sent--;
  chunk_free (backlog, chunk);
}

/* Past the limit the oldest audio goes. */
static void
trim (GstRealtimeBacklog * backlog)
{
  Chunk *chunk;

  while (backlog->samples > backlog->max_samples
      && (chunk = g_queue_peek_head (&backlog->chunks))) {
    if (!chunk->ever_sent)
      backlog->dropped += chunk->samples;
    drop_oldest (backlog);
  }
}

void
gst_realtime_backlog_push_unsent (GstRealtimeBacklog * backlog,
    gpointer chunk, guint64 samples)
{
  push_chunk (backlog, chunk, samples);
  trim (backlog);
}

void
gst_realtime_backlog_push_sent (GstRealtimeBacklog * backlog,
    gpointer data, guint64 samples, guint64 end_ms)
{
  Chunk *chunk;

  g_return_if_fail (backlog->n_sent == backlog->chunks.length);

  chunk = push_chunk (backlog, data, samples);
  chunk->end_ms = end_ms;
  chunk->ever_sent = TRUE;
  backlog->n_sent++;
  trim (backlog);
}

gpointer
gst_realtime_backlog_peek_unsent (GstRealtimeBacklog * backlog,
    guint64 * samples)
{
  Chunk *chunk = g_queue_peek_nth (&backlog->chunks, backlog->n_sent);

  if (!chunk)
    return NULL;
  *samples = chunk->samples;
  return chunk->data;
}

void
gst_realtime_backlog_mark_sent (GstRealtimeBacklog * backlog, guint64 end_ms)
{
  Chunk *chunk = g_queue_peek_nth (&backlog->chunks, backlog->n_sent);

  g_return_if_fail (chunk != NULL);
  chunk->end_ms = end_ms;
  chunk->ever_sent = TRUE;
  backlog->n_sent++;
}

void
gst_realtime_backlog_settle (GstRealtimeBacklog * backlog, guint64 ms)
{
  Chunk *chunk;

  while (backlog->n_sent > 0 && (chunk = g_queue_peek_head (&backlog->chunks))
      && chunk->end_ms <= ms)
    drop_oldest (backlog);
}

void
gst_realtime_backlog_unsend (GstRealtimeBacklog * backlog)
{
  backlog->n_sent = 0;
}

guint64
gst_realtime_backlog_take_dropped (GstRealtimeBacklog * backlog)
{
  guint64 dropped = backlog->dropped;

  backlog->dropped = 0;
  return dropped;
}

gboolean
gst_realtime_backlog_is_full (GstRealtimeBacklog * backlog)
{
  return backlog->max_samples > 0 && backlog->samples >= backlog->max_samples;
}

guint64
gst_realtime_backlog_get_samples (GstRealtimeBacklog * backlog)
{
  return backlog->samples;
}
