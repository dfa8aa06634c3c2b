// Decisions worth knowing when reading this package:
//
//   - Every client lockdown builds (IAM, STS, Account, Access Analyzer,
//     EC2) carries ReadOnlyGuard, an Initialize-step middleware that
//     refuses anything but IAM Get*, List*, Simulate* and
//     GenerateCredentialReport, STS GetCallerIdentity and
//     GetAccessKeyInfo, Account and Access Analyzer Get* and List*, and
//     EC2 Describe* (not EC2's Get*: GetPasswordData), before the request
//     is built. STS GetSessionToken and
//     GetFederationToken start with Get but mint credentials, so they are
//     refused; Organizations Describe* and List* pass. The SDK's own
//     assume-role client is not guarded: it must call sts:AssumeRole to
//     obtain the credentials the user asked for. The organisation runner's
//     STS client (OrgSession) carries AssumeRoleGuard, which lets
//     sts:AssumeRole and nothing else through: it is the one client of
//     lockdown's own that may assume a role (the audit role in each member).
//   - Source organization reads the account's own path (ListParents up to
//     the root) and the SCPs and RCPs attached along it; members that are
//     not a delegated administrator are refused, which is recorded as the
//     source's error with a note. An organisation audit reads the whole
//     tree once (OrgSession.ReadTree: the OU tree, ListPolicies,
//     DescribePolicy, ListTargetsForPolicy) and hands each member its view
//     (OrgTree.View, Options.OrgView): the members make no Organizations
//     request. RunnerOperations and policies/lockdown-org-runner-policy.json
//     list the runner's own calls.
//   - Operations is the single list of calls the collectors make; the
//     shipped policy (policies/lockdown-audit-policy.json) is tested against
//     it and a full collection against the test server is checked to call
//     nothing else.
//   - GetAccountAuthorizationDetails runs as five concurrent streams, one per
//     Filter value, 1000 items a page. Its RoleDetail has no
//     MaxSessionDuration or Description, so iam:ListRoles (also 1000 a page)
//     fills them in. Requests grow with pages, never with entities.
//   - The sources beyond IAM: server_certificates, security_contact and
//     organizations_features run beside the IAM sources; regions
//     (account:ListRegions, else ec2:DescribeRegions) runs first and
//     access_analyzers, ec2_instances and lambda_functions then read every
//     enabled region, each with at most regionWorkers regions at a time,
//     one client per region. A region that fails records its own error in its entry; the
//     source is then an error (partial when other regions were read), and
//     a regional source whose regions are unknown is an error
//     (RegionsUnknown) naming the regions source's failure. Region names
//     are checked before they become part of an endpoint.
//     ListOrganizationsFeatures' "not the management account" style
//     errors stay errors, with the reason in the message and the note;
//     OrganizationNotFoundException (no organization) is recorded as
//     status ok, no features, with a note.
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
//   - Nothing is collected without a caller identity: when
//     sts:GetCallerIdentity fails (no answer, a 5xx past the retries,
//     AccessDenied) or names an account that is not 12 digits, Collect
//     returns an *IdentityError (a *CredentialsError when AWS rejected the
//     credentials) and no snapshot. Sources that fail after it are
//     recorded with their error and API action; Snapshot.FailedSources
//     lists them. The snapshot is validated against the schema
//     (snapshot.Validate) before Collect returns it.
//   - Every error Collect returns and every source error message has been
//     through internal/redact; so have the MFA prompt and the SDK's log
//     lines, which go to Options.Stderr.
//   - Waits are bounded: each attempt of each request by RequestTimeout
//     (30s; a timed-out attempt is retried like a dropped connection), the
//     whole collection by Timeout (10m; sources cut off are recorded as
//     code Timeout and the snapshot is still returned), the MFA prompt by
//     Timeout too. The account summary is fetched right after the
//     identity, and its counts bound each paginated listing: at most
//     2 × count + 1000 items and a tenth as many pages (+2), a fixed bound
//     of 20000 items without a summary; a listing past its bound stops
//     with code PaginationLimit naming the numbers.
//   - Source aws_config reads the files the SDK reads (AWS_CONFIG_FILE,
//     AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/...), through
//     Options.Getenv, and Collect hands the SDK those same paths; an
//     explicit AWSConfigDir must exist. After the identity, the profile
//     holding the access key the requests were signed with gets
//     AccessKeyOwnerARN = the caller's ARN.
//   - ~/.aws files are parsed by hand rather than with a generic INI
//     library: the AWS format has nested settings ("s3 =" blocks), inline
//     comments only after whitespace (SSO start URLs contain "#"),
//     case-insensitive keys and "profile " section prefixes in config only,
//     and problems must be reported as file:line.

package collect
