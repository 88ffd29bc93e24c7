package sandbox

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// Signed nonces ([Options.SignedNonces]) carry their own expiry and user,
// signed with HMAC-SHA256 under a key derived from the main token, so a
// second sandbox started with the same options accepts them: a preview
// link made before a restart still opens after it. Layout before base64url:
// expiry (8 bytes, Unix seconds, big-endian) | user index (1) | random (8) |
// MAC of the first 17 bytes (16).
const (
	signedBody  = 8 + 1 + 8
	signedMAC   = 16
	signedBytes = signedBody + signedMAC
)

// nonceKey derives the signing key from the main user's token.
func nonceKey(mainToken string) []byte {
	k := sha256.Sum256([]byte("cxreports-sandbox preview nonce\x00" + mainToken))
	return k[:]
}

func (s *Server) nonceMAC(body []byte) []byte {
	m := hmac.New(sha256.New, s.nonceKey)
	m.Write(body)
	return m.Sum(nil)[:signedMAC]
}

// mintSignedNonce makes a nonce for user u that expires at expires.
func (s *Server) mintSignedNonce(u *user, expires time.Time) string {
	b := make([]byte, signedBody, signedBytes)
	binary.BigEndian.PutUint64(b, uint64(expires.Unix()))
	for i, cand := range s.users {
		if cand == u {
			b[8] = byte(i)
		}
	}
	_, _ = rand.Read(b[9:signedBody]) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(append(b, s.nonceMAC(b)...))
}

// redeemSignedNonce checks a signed nonce's MAC and expiry and that this
// process has not seen it used, then marks it used. Callers hold s.mu.
func (s *Server) redeemSignedNonce(nonce string, now time.Time) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(nonce)
	if err != nil || len(b) != signedBytes || !hmac.Equal(b[signedBody:], s.nonceMAC(b[:signedBody])) {
		return "", false
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(b)), 0)
	idx := int(b[8])
	if !now.Before(expires) || idx >= len(s.users) {
		return "", false
	}
	if _, used := s.nonces.lookup(nonce, now, false); used {
		return "", false
	}
	s.nonces.add(nonce, s.users[idx].name, now, expires)
	return s.users[idx].name, true
}
