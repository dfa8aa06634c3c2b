package snapshottest

import (
	"crypto/sha256"
	"encoding/base32"
)

// ID returns a deterministic IAM unique ID: the four-letter prefix AWS uses
// for the entity type (AIDA user, AGPA group, AROA role, ANPA policy, ASIA/AKIA
// keys) followed by 17 upper-case base32 characters derived from key, 21
// characters in all like the IDs IAM issues.
func ID(prefix, key string) string {
	sum := sha256.Sum256([]byte(prefix + "\x00" + key))
	return prefix + base32.StdEncoding.EncodeToString(sum[:])[:17]
}
