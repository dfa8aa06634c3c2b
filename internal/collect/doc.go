// Decisions worth knowing when reading this package:
//
//   - Every IAM and STS client lockdown builds carries ReadOnlyGuard, an
//     Initialize-step middleware that refuses anything but IAM Get*, List*,
//     Simulate* and GenerateCredentialReport, and STS GetCallerIdentity and
//     GetAccessKeyInfo, before the request is built. STS GetSessionToken and
//     GetFederationToken start with Get but mint credentials, so they are
//     refused. The SDK's own assume-role client is not guarded: it must call
//     sts:AssumeRole to obtain the credentials the user asked for.
//   - Operations is the single list of calls the collectors make; the
//     shipped policy (policies/lockdown-audit-policy.json) is tested against
//     it and a full collection against the test server is checked to call
//     nothing else.
//   - GetAccountAuthorizationDetails runs as five concurrent streams, one per
//     Filter value, 1000 items a page. Its RoleDetail has no
//     MaxSessionDuration or Description, so iam:ListRoles (also 1000 a page)
//     fills them in. Requests grow with pages, never with entities.
//   - Policy documents are decoded with snapshot.NormalizeDocument. One that
//     is not a JSON object is left out of the snapshot (the schema requires
//     an object) and named in the source error; its entity is kept.
//   - Credential report rows are sorted root first, then by ARN; values are
//     kept verbatim. A malformed CSV keeps the rows before the bad line and
//     flags the source as partial.
//   - The SDK applies AWS_ENDPOINT_URL after it builds the assume-role STS
//     client, so Collect passes that endpoint to it (unless
//     AWS_ENDPOINT_URL_STS or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is set);
//     otherwise an emulator profile would assume its role at real AWS.
//   - ~/.aws files are parsed by hand rather than with a generic INI
//     library: the AWS format has nested settings ("s3 =" blocks), inline
//     comments only after whitespace (SSO start URLs contain "#"),
//     case-insensitive keys and "profile " section prefixes in config only,
//     and problems must be reported as file:line.

package collect
