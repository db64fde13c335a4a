/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PB_SERVER_KEY_BYTES 32

typedef struct _PbCrypto PbCrypto;

/* Loads the 32-byte key from @path, creating it (mode 0600) when it does not exist. */
PbCrypto *pb_crypto_new_from_key_file (const char    *path,
                                       GError       **error);
void      pb_crypto_free              (PbCrypto      *self);

/* AES-256-GCM; returns nonce || ciphertext || tag. @aad binds the value to its place. */
GBytes   *pb_crypto_encrypt           (PbCrypto      *self,
                                       const char    *aad,
                                       const char    *plaintext,
                                       gsize          length);
/* Returns the plaintext (NUL-terminated) or NULL when the data was tampered with. */
char     *pb_crypto_decrypt           (PbCrypto      *self,
                                       const char    *aad,
                                       const guint8  *data,
                                       gsize          length,
                                       gsize         *out_length);
/* HMAC-SHA-256 with the key, as hex: a fingerprint that reveals nothing of the value. */
char     *pb_crypto_fingerprint       (PbCrypto      *self,
                                       const char    *data,
                                       gsize          length);

void      pb_crypto_random            (guint8        *buffer,
                                       gsize          length);
/* @n_bytes random bytes as unpadded base64url. */
char     *pb_crypto_random_token      (gsize          n_bytes);
char     *pb_crypto_sha256_hex        (const char    *salt,
                                       const char    *data);
gboolean  pb_crypto_equal             (const char    *a,
                                       const char    *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbCrypto, pb_crypto_free)

G_END_DECLS
