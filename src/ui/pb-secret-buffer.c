/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-secret-buffer"

#include "config.h"

#include "pb-secret-buffer.h"

#include <string.h>

struct _PbSecretBuffer
{
  GtkEntryBuffer parent_instance;

  gboolean  shown;
  GString  *bullets;   /* as many as the secret has characters */
};

G_DEFINE_FINAL_TYPE (PbSecretBuffer, pb_secret_buffer, GTK_TYPE_ENTRY_BUFFER)

static const char *
pb_secret_buffer_get_text (GtkEntryBuffer *buffer,
                           gsize          *n_bytes)
{
  PbSecretBuffer *self = PB_SECRET_BUFFER (buffer);
  guint length;

  if (self->shown)
    return GTK_ENTRY_BUFFER_CLASS (pb_secret_buffer_parent_class)->get_text (buffer, n_bytes);

  length = gtk_entry_buffer_get_length (buffer);
  g_string_truncate (self->bullets, 0);
  for (guint i = 0; i < length; i++)
    g_string_append_unichar (self->bullets, 0x2022);   /* • */
  if (n_bytes != NULL)
    *n_bytes = self->bullets->len;
  return self->bullets->str;
}

static void
pb_secret_buffer_finalize (GObject *object)
{
  PbSecretBuffer *self = PB_SECRET_BUFFER (object);

  g_string_free (self->bullets, TRUE);
  G_OBJECT_CLASS (pb_secret_buffer_parent_class)->finalize (object);
}

static void
pb_secret_buffer_class_init (PbSecretBufferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkEntryBufferClass *buffer_class = GTK_ENTRY_BUFFER_CLASS (klass);

  object_class->finalize = pb_secret_buffer_finalize;
  buffer_class->get_text = pb_secret_buffer_get_text;
}

static void
pb_secret_buffer_init (PbSecretBuffer *self)
{
  self->bullets = g_string_new (NULL);
}

static GtkText *
delegate_text (GtkEditable *editable)
{
  GtkEditable *delegate = editable;

  while (delegate != NULL && !GTK_IS_TEXT (delegate))
    delegate = gtk_editable_get_delegate (delegate);
  return delegate != NULL ? GTK_TEXT (delegate) : NULL;
}

static void
on_visibility_cb (GtkText        *text,
                  GParamSpec     *pspec,
                  PbSecretBuffer *self)
{
  self->shown = gtk_text_get_visibility (text);
}

void
pb_secret_buffer_attach (GtkEditable *editable)
{
  GtkText *text;
  g_autoptr(PbSecretBuffer) buffer = NULL;

  g_return_if_fail (GTK_IS_EDITABLE (editable));

  text = delegate_text (editable);
  g_return_if_fail (text != NULL);
  buffer = g_object_new (PB_TYPE_SECRET_BUFFER, NULL);
  /* The entry's own buffer stays alive with the entry: libadwaita's password row keeps its
   * handlers on it until it is disposed. */
  g_object_set_data_full (G_OBJECT (text), "pb-own-buffer",
                          g_object_ref (gtk_text_get_buffer (text)), g_object_unref);
  gtk_text_set_buffer (text, GTK_ENTRY_BUFFER (buffer));
  buffer->shown = gtk_text_get_visibility (text);
  /* The entry holds the buffer: the handler goes with the entry. */
  g_signal_connect (text, "notify::visibility", G_CALLBACK (on_visibility_cb), buffer);
}

const char *
pb_secret_text (GtkEditable *editable)
{
  GtkText *text;
  GtkEntryBuffer *buffer;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

  text = delegate_text (editable);
  buffer = text != NULL ? gtk_text_get_buffer (text) : NULL;
  if (buffer == NULL || !PB_IS_SECRET_BUFFER (buffer))
    return gtk_editable_get_text (editable);
  return GTK_ENTRY_BUFFER_CLASS (pb_secret_buffer_parent_class)->get_text (buffer, NULL);
}
