/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The text buffer of a secret's entry: it tells everyone who asks for its text (GTK 4.8's
 * AT-SPI Text interface reads gtk_editable_get_text() of AdwPasswordEntryRow and
 * GtkPasswordEntry, in clear) as many bullets as it has characters, while the entry hides
 * them; shown (the reveal button), it tells the text as the screen shows it. Its owner reads
 * the secret with pb_secret_text(). */
#define PB_TYPE_SECRET_BUFFER (pb_secret_buffer_get_type ())
G_DECLARE_FINAL_TYPE (PbSecretBuffer, pb_secret_buffer, PB, SECRET_BUFFER, GtkEntryBuffer)

/* Gives @editable (a password entry or entry row) a PbSecretBuffer that follows whether it
 * shows its text. */
void        pb_secret_buffer_attach (GtkEditable *editable);

/* The text of @editable: the secret itself for one with a PbSecretBuffer. */
const char *pb_secret_text          (GtkEditable *editable);

G_END_DECLS
