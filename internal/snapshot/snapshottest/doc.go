// Package snapshottest provides snapshot fixtures for tests, as
// net/http/httptest provides servers: every test, tool and benchmark that
// needs an account builds it here instead of by hand.
//
//   - The guide's account: GuideAsWritten and GuideCompliant, and the
//     one-change scenarios built on them (Scenarios, Fixture), which
//     tools/mktestdata writes to testdata/snapshots with their expectations.
//     Edit them with the lookups (User, Group, Role, Policy, CredRow,
//     Profile) and the document helpers (Doc, EditDoc, EditPolicy,
//     EditTrust, Statement).
//   - Large accounts: Generate, deterministic for a Config (seed and sizes),
//     written by tools/gensnapshot for benchmarks.
//   - Small accounts of a fixed pattern whose counts tests can compute:
//     Sample (what the test IAM server collects from) and Patterned (what
//     the engine's tests and benchmarks evaluate).
//   - Credential report rows: CredentialReportColumns, EmptyRow, RootRow,
//     CRTime, CredentialReportCSV.
//   - IAM unique IDs: ID.
//
// Everything is deterministic: no clock and no global randomness.
// internal/collect/iamtest.FromSnapshot serves any of these fixtures through
// the IAM and STS Query APIs.
package snapshottest
