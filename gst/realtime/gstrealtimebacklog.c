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
  GstBuffer *buffer;
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
};

static void
chunk_free (Chunk * chunk)
{
  gst_buffer_unref (chunk->buffer);
  g_free (chunk);
}

GstRealtimeBacklog *
gst_realtime_backlog_new (void)
{
  GstRealtimeBacklog *backlog = g_new0 (GstRealtimeBacklog, 1);

  g_queue_init (&backlog->chunks);
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
  g_queue_clear_full (&backlog->chunks, (GDestroyNotify) chunk_free);
  backlog->n_sent = 0;
  backlog->samples = 0;
}

static Chunk *
push_chunk (GstRealtimeBacklog * backlog, GstBuffer * buffer, guint64 samples)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->buffer = gst_buffer_ref (buffer);
  chunk->samples = samples;
  g_queue_push_tail (&backlog->chunks, chunk);
  backlog->samples += samples;
  return chunk;
}

void
gst_realtime_backlog_push_unsent (GstRealtimeBacklog * backlog,
    GstBuffer * buffer, guint64 samples)
{
  push_chunk (backlog, buffer, samples);
}

void
gst_realtime_backlog_push_sent (GstRealtimeBacklog * backlog,
    GstBuffer * buffer, guint64 samples, guint64 end_ms)
{
  Chunk *chunk;

  g_return_if_fail (backlog->n_sent == backlog->chunks.length);

  chunk = push_chunk (backlog, buffer, samples);
  chunk->end_ms = end_ms;
  chunk->ever_sent = TRUE;
  backlog->n_sent++;
}

GstBuffer *
gst_realtime_backlog_peek_unsent (GstRealtimeBacklog * backlog,
    guint64 * samples)
{
  Chunk *chunk = g_queue_peek_nth (&backlog->chunks, backlog->n_sent);

  if (!chunk)
    return NULL;
  *samples = chunk->samples;
  return chunk->buffer;
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

static void
drop_oldest (GstRealtimeBacklog * backlog)
{
  Chunk *chunk = g_queue_pop_head (&backlog->chunks);

  backlog->samples -= chunk->samples;
  if (backlog->n_sent > 0)
    backlog->n_sent--;
  chunk_free (chunk);
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
gst_realtime_backlog_trim (GstRealtimeBacklog * backlog, guint64 max_samples)
{
  guint64 dropped = 0;
  Chunk *chunk;

  while (backlog->samples > max_samples
      && (chunk = g_queue_peek_head (&backlog->chunks))) {
    if (!chunk->ever_sent)
      dropped += chunk->samples;
    drop_oldest (backlog);
  }
  return dropped;
}

guint64
gst_realtime_backlog_get_samples (GstRealtimeBacklog * backlog)
{
  return backlog->samples;
}
