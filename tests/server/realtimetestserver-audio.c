/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Audio conversion: G.711 μ-law and A-law, S16LE PCM, rate changes and
 * the strict base64 check of appended audio. */

#include "realtimetestserver-private.h"

#include <string.h>

static gint16
ulaw_decode (guint8 u)
{
  gint t;

  u = ~u;
  t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) ? 0x84 - t : t - 0x84;
}

static guint8
ulaw_encode (gint16 sample)
{
  gint s = sample, sign = 0, exponent = 7, mask;

  if (s < 0) {
    sign = 0x80;
    s = -s;
  }
  s = MIN (s, 32635) + 0x84;
  for (mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1)
    exponent--;
  return ~(sign | (exponent << 4) | ((s >> (exponent + 3)) & 0x0f));
}

static gint16
alaw_decode (guint8 a)
{
  gint t, seg;

  a ^= 0x55;
  t = (a & 0x0f) << 4;
  seg = (a & 0x70) >> 4;
  if (seg == 0)
    t += 8;
  else
    t = (t + 0x108) << (seg - 1);
  return (a & 0x80) ? t : -t;
}

static guint8
alaw_encode (gint16 sample)
{
  gint s = sample, sign = 0x80, exponent = 0, top;
  guint8 out;

  if (s < 0) {
    sign = 0;
    s = -s - 1;
  }
  s = MIN (s, 32635);
  if (s >= 256) {
    for (top = s >> 8; top; top >>= 1)
      exponent++;
    out = (exponent << 4) | ((s >> (exponent + 3)) & 0x0f);
  } else {
    out = s >> 4;
  }
  return (out | sign) ^ 0x55;
}

/* Decodes appended bytes to S16 samples, carrying half a PCM sample over
 * to the next append. */
gint16 *
rts_decode_input (Connection * c, const guint8 * data, gsize len, gsize * n)
{
  gint16 *samples = g_new (gint16, len + 1);
  gsize i, out = 0;

  for (i = 0; i < len; i++) {
    if (c->cfg.in_fmt.codec == CODEC_PCMU) {
      samples[out++] = ulaw_decode (data[i]);
    } else if (c->cfg.in_fmt.codec == CODEC_PCMA) {
      samples[out++] = alaw_decode (data[i]);
    } else if (c->odd_byte < 0) {
      c->odd_byte = data[i];
    } else {
      samples[out++] = (gint16) (c->odd_byte | (data[i] << 8));
      c->odd_byte = -1;
    }
  }
  *n = out;
  return samples;
}

/* Nearest-neighbour rate change and encoding into the output format. */
GBytes *
rts_encode_output (const AudioFormat * fmt, GBytes * audio, guint in_rate)
{
  gsize n_in, n_out, i, width = fmt->codec == CODEC_PCM16 ? 2 : 1;
  const gint16 *in = g_bytes_get_data (audio, &n_in);
  guint8 *out;

  n_in /= 2;
  n_out = n_in * fmt->rate / in_rate;
  out = g_malloc (n_out * width + 1);
  for (i = 0; i < n_out; i++) {
    gint16 s = in[i * in_rate / fmt->rate];

    if (fmt->codec == CODEC_PCMU) {
      out[i] = ulaw_encode (s);
    } else if (fmt->codec == CODEC_PCMA) {
      out[i] = alaw_encode (s);
    } else {
      out[2 * i] = s & 0xff;
      out[2 * i + 1] = (s >> 8) & 0xff;
    }
  }
  return g_bytes_new_take (out, n_out * width);
}

/* g_base64_decode() skips what it does not know; the real server does
 * not. */
gboolean
rts_base64_is_valid (const gchar * text)
{
  gsize len = strlen (text), i, pad = 0;

  if (len % 4 != 0)
    return FALSE;
  for (i = 0; i < len; i++) {
    if (text[i] == '=') {
      pad++;
    } else if (pad > 0 || !(g_ascii_isalnum (text[i]) || text[i] == '+'
            || text[i] == '/')) {
      return FALSE;
    }
  }
  return pad <= 2;
}
