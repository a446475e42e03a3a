/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_REALTIME_AI_H__
#define __GST_REALTIME_AI_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_REALTIME_AI (gst_realtime_ai_get_type ())
G_DECLARE_FINAL_TYPE (GstRealtimeAI, gst_realtime_ai, GST, REALTIME_AI,
    GstElement);

GST_ELEMENT_REGISTER_DECLARE (realtimeai);

G_END_DECLS

#endif /* __GST_REALTIME_AI_H__ */
