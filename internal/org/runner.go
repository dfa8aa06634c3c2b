package org

import (
	"context"
	"sync"
)

// DefaultConcurrency is the default number of accounts audited at once:
// an account's audit is a few dozen requests, mostly to IAM, whose
// request quotas are per account, so accounts in parallel do not slow each
// other down; the caller's own calls (AssumeRole and the one-off tree)
// are few.
const DefaultConcurrency = 8

// AuditFunc audits one account and returns its entry. It must not
// panic; its error, if any, is the entry's status and cause.
type AuditFunc func(ctx context.Context, t Target) Account

// Run audits the targets with at most concurrency audits at once (at least
// one) and returns their entries in the order the audits finished. The
// limit adapts to throttling: an account whose audit was throttled halves
// it (at least one), an account audited without throttling raises it by
// one again, up to concurrency. done, when set, is called with each entry
// as it finishes (serialised), so its outputs can be written and dropped.
// Each account's failure is its own entry: Run never stops early, except
// when ctx ends, and then the targets not started are returned as failed
// with ctx's error.
func Run(ctx context.Context, targets []Target, concurrency int, audit AuditFunc, done func(Account)) []Account {
	if concurrency < 1 {
		concurrency = 1
	}
	lim := newLimiter(concurrency)
	var (
		mu      sync.Mutex
		entries []Account
		wg      sync.WaitGroup
	)
	finish := func(a Account) {
		mu.Lock()
		defer mu.Unlock()
		entries = append(entries, a)
		if done != nil {
			done(a)
		}
	}
	jobs := make(chan Target)
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				if err := ctx.Err(); err != nil {
					finish(Account{ID: t.ID, Name: t.Name, Parent: t.Parent, Status: StatusFailed, Cause: "not audited: " + err.Error(),
						FailingBySeverity: map[string]int{}, Checks: []CheckCount{}, Controls: []ControlStatus{}})
					continue
				}
				lim.acquire()
				a := audit(ctx, t)
				lim.release(a.Throttled)
				finish(a)
			}
		}()
	}
	for _, t := range targets {
		jobs <- t
	}
	close(jobs)
	wg.Wait()
	return entries
}

// limiter is a semaphore whose size adapts to throttling (additive
// increase, multiplicative decrease).
type limiter struct {
	mu         sync.Mutex
	cond       *sync.Cond
	max, limit int
	active     int
}

func newLimiter(n int) *limiter {
	l := &limiter{max: n, limit: n}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *limiter) acquire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.active >= l.limit {
		l.cond.Wait()
	}
	l.active++
}

func (l *limiter) release(throttled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.active--
	if throttled {
		l.limit = max(1, l.limit/2)
	} else if l.limit < l.max {
		l.limit++
	}
	l.cond.Broadcast()
}
