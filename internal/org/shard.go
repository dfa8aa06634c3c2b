// Package org audits a whole AWS Organization: it selects the member
// accounts (filters, --ou, --shard), runs one account audit per account
// with bounded, throttle-adaptive concurrency, and builds the organisation
// report (lockdown.org-report/v1) from the accounts' summaries; Merge
// combines the reports of shards. The collection and evaluation of one
// account are the caller's (the same pieces as a single-account audit):
// this package only orchestrates and summarises.
package org

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is K of N: the accounts whose shard number is K.
//
// An account's shard is FNV-1a (64-bit) of its 12-digit ID, modulo N,
// plus one. It depends on the account's ID alone: accounts joining or
// leaving the organization never move the others to another shard, and
// every run with the same N assigns an account to the same shard.
type Shard struct {
	K, N int
}

// All is the one shard of an unsharded run.
var All = Shard{K: 1, N: 1}

// ParseShard reads "K/N" (1 <= K <= N).
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("--shard %q: expected K/N with 1 <= K <= N, e.g. 2/8", s)
	}
	return Shard{K: ki, N: ni}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// ShardOf is the shard number (1..n) of an account.
func ShardOf(accountID string, n int) int {
	h := fnv.New64a()
	_, _ = h.Write([]byte(accountID))
	return int(h.Sum64()%uint64(n)) + 1
}

// Has reports whether the account is in the shard.
func (s Shard) Has(accountID string) bool { return ShardOf(accountID, s.N) == s.K }
