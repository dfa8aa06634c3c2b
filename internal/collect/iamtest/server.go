package iamtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// PageFault breaks Marker pagination of one action.
type PageFault int

const (
	// NoPageFault paginates normally.
	NoPageFault PageFault = iota
	// PageNoMarker answers a truncated page with IsTruncated=true and no
	// Marker, so the listing cannot go on.
	PageNoMarker
	// PageBadMarker answers a truncated page with a Marker that the next
	// request is refused for (ValidationError, HTTP 400).
	PageBadMarker
	// PageEndless never ends the listing: every page is truncated and
	// carries a Marker never seen before (after the last item the pages
	// start again from the first).
	PageEndless
)

// Stall is how the server fails to answer a request.
type Stall int

const (
	// NoStall answers normally.
	NoStall Stall = iota
	// StallNoAnswer reads the request and never answers it.
	StallNoAnswer
	// StallBody sends the status line, the headers and the first part of
	// the body, then nothing more.
	StallBody
)

const badMarker = "aWFtdGVzdDpiYWQ="

type fault struct {
	code  string
	msg   string
	times int // remaining; <0 forever
}

// MaxInFlight is the most requests the server was serving at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// Server is the fake endpoint. Point an SDK client at URL (or call SetEnv).
type Server struct {
	URL string

	srv  *httptest.Server
	mu   sync.Mutex
	acct *Account
	// org, when set (NewOrgServer), is the organization: requests are
	// answered from the account whose credentials signed them.
	org       *Org
	byAccount map[string]int // requests by the account that signed them

	counts       map[string]int
	calls        map[Call]int
	requests     map[string][]url.Values
	faults       map[string]*fault
	regionFaults map[string]*fault // by action + "@" + region
	pageFaults   map[string]PageFault
	stalls       map[string]Stall
	echo         map[string]bool
	stop         chan struct{} // closed when the test ends: stalled handlers return
	endless      int           // markers handed out by PageEndless

	latency     time.Duration
	inFlight    int
	maxInFlight int // most requests being served at once

	reportStarted  bool
	reportComplete bool
	reportPolls    int // Generate calls still answered STARTED/INPROGRESS
	nextID         int
}

// NewServer starts a server for acct and stops it when the test ends.
func NewServer(t testing.TB, acct *Account) *Server {
	t.Helper()
	s := &Server{
		acct:           acct,
		counts:         map[string]int{},
		calls:          map[Call]int{},
		requests:       map[string][]url.Values{},
		faults:         map[string]*fault{},
		regionFaults:   map[string]*fault{},
		pageFaults:     map[string]PageFault{},
		stalls:         map[string]Stall{},
		echo:           map[string]bool{},
		byAccount:      map[string]int{},
		stop:           make(chan struct{}),
		reportComplete: true, // a fresh report exists unless ReportGenerating says otherwise
	}
	for _, e := range acct.RegionErrors {
		s.regionFaults[e.Action+"@"+e.Region] = &fault{code: e.Code, msg: e.Message, times: -1}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	// Cleanups run last-in first-out: stalled handlers are released
	// before Close waits for them.
	t.Cleanup(func() { close(s.stop) })
	return s
}

// SetEnv points the SDK default chain at the server with static dummy
// credentials, no shared config files and no instance metadata.
func (s *Server) SetEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":                    s.URL,
		"AWS_ACCESS_KEY_ID":                   "AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY":               "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN":                   "",
		"AWS_REGION":                          "us-east-1",
		"AWS_PROFILE":                         "",
		"AWS_DEFAULT_PROFILE":                 "",
		"AWS_EC2_METADATA_DISABLED":           "true",
		"AWS_CONFIG_FILE":                     filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":         filepath.Join(dir, "credentials"),
		"AWS_ENDPOINT_URL_IAM":                "",
		"AWS_ENDPOINT_URL_STS":                "",
		"AWS_ENDPOINT_URL_EC2":                "",
		"AWS_ENDPOINT_URL_ACCOUNT":            "",
		"AWS_ENDPOINT_URL_ACCESSANALYZER":     "",
		"AWS_ENDPOINT_URL_LAMBDA":             "",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "",
		"AWS_MAX_ATTEMPTS":                    "",
		"AWS_RETRY_MODE":                      "",
	} {
		t.Setenv(k, v)
		if v == "" {
			os.Unsetenv(k)
		}
	}
}

// Fail makes the next times requests for action fail with code (HTTP
// status as AWS uses it). times <= 0: every request.
func (s *Server) Fail(action, code, message string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times <= 0 {
		times = -1
	}
	s.faults[action] = &fault{code: code, msg: message, times: times}
}

// DenyAccess makes every request for action fail with the service's
// access denied error (AccessDenied for IAM and STS, AccessDeniedException
// for Account and Access Analyzer, UnauthorizedOperation for EC2).
func (s *Server) DenyAccess(action string) {
	code, msg := s.denial(action)
	s.Fail(action, code, msg, 0)
}

// Throttle makes the next n requests for action fail with the service's
// throttling error.
func (s *Server) Throttle(action string, n int) {
	s.Fail(action, throttleCode(action), "Rate exceeded", n)
}

// SetStall makes every request for action stall as st says. A stalled
// handler returns when the client gives up on the request or the test
// ends.
func (s *Server) SetStall(action string, st Stall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stalls[action] = st
}

// EchoCredentials makes every request for action fail (HTTP 400,
// InvalidRequest) with a message that quotes the credentials the request
// carried: its Authorization and X-Amz-Security-Token headers, and a
// WebIdentityToken parameter. It stands for an endpoint (or a proxy) that
// repeats secrets in its errors.
func (s *Server) EchoCredentials(action string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echo[action] = true
}

// ReportGenerating makes the credential report take polls
// GenerateCredentialReport calls (STARTED, then INPROGRESS) to complete.
func (s *Server) ReportGenerating(polls int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reportStarted, s.reportComplete, s.reportPolls = false, polls <= 0, polls
}

// BreakPages sets a pagination fault for action.
func (s *Server) BreakPages(action string, f PageFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageFaults[action] = f
}

// SetLatency delays every response by d, outside the server's lock, so
// concurrent requests overlap as they would against AWS.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Count is the number of requests received for action (faults included).
func (s *Server) Count(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[action]
}

// Counts returns a copy of the per-action request counts.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Total is the number of requests received.
func (s *Server) Total() int {
	n := 0
	for _, v := range s.Counts() {
		n += v
	}
	return n
}

// Requests returns the form values of every request for action.
func (s *Server) Requests(action string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.requests[action]...)
}

// errorStatus is the HTTP status AWS uses for an error code.
func errorStatus(code string) int {
	switch code {
	case "AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken",
		"UnauthorizedOperation", "UnrecognizedClientException":
		return http.StatusForbidden
	case "AuthFailure":
		return http.StatusUnauthorized
	case "NoSuchEntity", "ReportInProgress", "ResourceNotFoundException":
		return http.StatusNotFound
	case "ThrottlingException", "TooManyRequestsException":
		return http.StatusTooManyRequests
	case "RequestLimitExceeded":
		return http.StatusServiceUnavailable
	case "InternalServerException":
		return http.StatusInternalServerError
	case "ReportNotPresent", "ReportExpired":
		return http.StatusGone
	case "LimitExceeded", "EntityAlreadyExists":
		return http.StatusConflict
	case "ServiceFailure", "InternalFailure":
		return http.StatusInternalServerError
	case "ServiceUnavailable":
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/federation/credentials" {
		s.serveSSO(w, r)
		return
	}
	req, err := parseRequest(r)
	if err != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.writeErr(w, req, "MalformedQueryString", err.Error())
		return
	}
	s.mu.Lock()
	delay := s.latency
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
	time.Sleep(delay)
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()
	action := req.action
	s.mu.Lock()
	defer s.mu.Unlock()
	var member *Member
	if s.org != nil {
		if id := keyAccount(req.key); id != "" {
			member = s.org.member(id)
			if member == nil {
				s.writeErr(w, req, "InvalidClientTokenId", "The security token included in the request is invalid.")
				return
			}
			// Answer from the member's account for this request.
			prev := s.acct
			s.acct = member.Account
			defer func() { s.acct = prev }()
		}
	}
	s.byAccount[s.acct.ID]++
	s.counts[action]++
	s.calls[Call{Service: req.service, Action: action, Region: req.region}]++
	s.requests[action] = append(s.requests[action], req.form)
	if st := s.stalls[action]; st != NoStall {
		s.mu.Unlock()
		s.stall(w, r, st, action, req.ns)
		s.mu.Lock() // for the deferred Unlock
		return
	}
	if s.echo[action] {
		msg := fmt.Sprintf("request rejected: Authorization: %s, X-Amz-Security-Token: %s, WebIdentityToken=%s",
			r.Header.Get("Authorization"), r.Header.Get("X-Amz-Security-Token"), r.Form.Get("WebIdentityToken"))
		s.writeErr(w, req, "InvalidRequest", msg)
		return
	}
	if member != nil && member.Throttled {
		s.writeErr(w, req, throttleCode(action), "Rate exceeded")
		return
	}
	for _, f := range []*fault{s.regionFaults[action+"@"+req.region], s.faults[action]} {
		if f != nil && f.times != 0 {
			if f.times > 0 {
				f.times--
			}
			s.writeErr(w, req, f.code, f.msg)
			return
		}
	}
	switch req.proto {
	case protoEC2:
		s.serveEC2(w, req)
	case protoJSON:
		s.serveJSON(w, req)
	case protoOrg:
		s.serveOrganizations(w, req)
	default:
		if req.ns == stsNS {
			s.serveSTS(w, action, req.form)
			return
		}
		s.serveIAM(w, action, req.form)
	}
}

// serveSSO answers the SSO portal's GetRoleCredentials (REST JSON), which
// the SDK calls for a profile with an SSO session. It always fails: with
// EchoCredentials("GetRoleCredentials") quoting the bearer token, else
// with UnauthorizedException.
func (s *Server) serveSSO(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.counts["GetRoleCredentials"]++
	echo := s.echo["GetRoleCredentials"]
	s.mu.Unlock()
	msg := "Session token not found or invalid"
	if echo {
		msg = "request rejected: x-amz-sso_bearer_token: " + r.Header.Get("x-amz-sso_bearer_token")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", "UnauthorizedException")
	w.WriteHeader(http.StatusUnauthorized)
	b, _ := json.Marshal(map[string]string{"message": msg})
	_, _ = w.Write(b)
}

// stall holds a request without a (complete) answer until the client
// goes away or the test ends.
func (s *Server) stall(w http.ResponseWriter, r *http.Request, st Stall, action, ns string) {
	if st == StallBody {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`<` + action + `Response xmlns="` + ns + `"><` + action + `Result><IsTruncated>false</IsTruncated>`))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	select {
	case <-r.Context().Done():
	case <-s.stop:
	}
}

func (s *Server) requestID() string {
	s.nextID++
	return fmt.Sprintf("iamtest-%08d-0000-0000-0000-000000000000", s.nextID)
}

func (s *Server) writeError(w http.ResponseWriter, ns, code, msg string) {
	kind := "Sender"
	if errorStatus(code) >= 500 {
		kind = "Receiver"
	}
	var x xw
	x.b.WriteString(`<ErrorResponse xmlns="` + ns + `">`)
	x.open("Error")
	x.leaf("Type", kind)
	x.leaf("Code", code)
	x.leaf("Message", msg)
	x.close("Error")
	x.leaf("RequestId", s.requestID())
	x.close("ErrorResponse")
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(errorStatus(code))
	_, _ = w.Write([]byte(x.b.String()))
}

// respond wraps result in <ActionResponse><ActionResult>.
func (s *Server) respond(w http.ResponseWriter, ns, action string, result func(x *xw)) {
	var x xw
	x.b.WriteString(`<` + action + `Response xmlns="` + ns + `">`)
	x.open(action + "Result")
	result(&x)
	x.close(action + "Result")
	x.open("ResponseMetadata")
	x.leaf("RequestId", s.requestID())
	x.close("ResponseMetadata")
	x.close(action + "Response")
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(x.b.String()))
}

func (s *Server) serveSTS(w http.ResponseWriter, action string, form url.Values) {
	switch action {
	case "GetCallerIdentity":
		s.respond(w, stsNS, action, func(x *xw) {
			x.leaf("UserId", s.acct.CallerUserID)
			x.leaf("Account", s.acct.ID)
			x.leaf("Arn", s.acct.CallerARN)
		})
	case "AssumeRole":
		if s.org != nil {
			s.assumeRole(w, form.Get("RoleArn"), form.Get("RoleSessionName"))
			return
		}
		roleARN := form.Get("RoleArn")
		name := form.Get("RoleSessionName")
		s.respond(w, stsNS, action, func(x *xw) {
			x.open("Credentials")
			x.leaf("AccessKeyId", "ASIAIOSFODNN7ASSUMED")
			x.leaf("SecretAccessKey", "assumed/secret/key/EXAMPLE")
			x.leaf("SessionToken", "assumed-session-token-EXAMPLE")
			x.time("Expiration", time.Now().Add(time.Hour))
			x.close("Credentials")
			x.open("AssumedRoleUser")
			x.leaf("AssumedRoleId", "AROAASSUMED000000000:"+name)
			x.leaf("Arn", strings.Replace(strings.Replace(roleARN, ":iam:", ":sts:", 1), ":role/", ":assumed-role/", 1)+"/"+name)
			x.close("AssumedRoleUser")
		})
	default:
		s.writeError(w, stsNS, "InvalidAction", "Could not find operation "+action+" for version 2011-06-15")
	}
}

// page returns the [start, end) window for a listing of n items and the
// next marker ("" when complete), or an error code and message.
func (s *Server) page(action string, form url.Values, n int) (start, end int, next string, truncated bool, errCode, errMsg string) {
	max := 100
	if v := form.Get("MaxItems"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 1000 {
			return 0, 0, "", false, "ValidationError", "1 validation error detected: Value '" + v + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000"
		}
		max = m
	}
	if mk := form.Get("Marker"); mk != "" {
		raw, err := base64.StdEncoding.DecodeString(mk)
		offText, _, _ := strings.Cut(strings.TrimPrefix(string(raw), "iamtest:"), ":")
		off, err2 := strconv.Atoi(offText)
		if mk == badMarker || err != nil || err2 != nil || !strings.HasPrefix(string(raw), "iamtest:") || off < 0 || off > n {
			return 0, 0, "", false, "ValidationError", "Invalid Marker: " + mk
		}
		start = off
	}
	end = min(start+max, n)
	if end >= n && s.pageFaults[action] == PageEndless {
		s.endless++
		return start, end, base64.StdEncoding.EncodeToString([]byte("iamtest:0:" + strconv.Itoa(s.endless))), true, "", ""
	}
	if end < n {
		truncated = true
		switch s.pageFaults[action] {
		case PageNoMarker:
		case PageBadMarker:
			next = badMarker
		case PageEndless:
			s.endless++
			next = base64.StdEncoding.EncodeToString([]byte("iamtest:" + strconv.Itoa(end) + ":" + strconv.Itoa(s.endless)))
		default:
			next = base64.StdEncoding.EncodeToString([]byte("iamtest:" + strconv.Itoa(end)))
		}
	}
	return start, end, next, truncated, "", ""
}

func (x *xw) more(next string, truncated bool) {
	x.bool("IsTruncated", truncated)
	x.opt("Marker", next)
}

func (s *Server) serveIAM(w http.ResponseWriter, action string, form url.Values) {
	a := s.acct
	switch action {
	case "GetAccountSummary":
		keys := make([]string, 0, len(a.Summary))
		for k := range a.Summary {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		s.respond(w, iamNS, action, func(x *xw) {
			x.open("SummaryMap")
			for _, k := range keys {
				x.open("entry")
				x.leaf("key", k)
				x.int("value", a.Summary[k])
				x.close("entry")
			}
			x.close("SummaryMap")
		})
	case "GetAccountPasswordPolicy":
		if a.PasswordPolicy == nil {
			s.writeError(w, iamNS, "NoSuchEntity", "The Password Policy with domain name "+a.ID+" cannot be found.")
			return
		}
		s.respond(w, iamNS, action, func(x *xw) { x.passwordPolicy(a.PasswordPolicy) })
	case "ListAccountAliases":
		start, end, next, trunc, code, msg := s.page(action, form, len(a.Aliases))
		if code != "" {
			s.writeError(w, iamNS, code, msg)
			return
		}
		s.respond(w, iamNS, action, func(x *xw) {
			x.list("AccountAliases", end-start, func(i int) { x.leafText(a.Aliases[start+i]) })
			x.more(next, trunc)
		})
	case "ListVirtualMFADevices":
		devs := a.MFADevices
		switch form.Get("AssignmentStatus") {
		case "Assigned", "Unassigned":
			want := form.Get("AssignmentStatus") == "Assigned"
			devs = nil
			for _, d := range a.MFADevices {
				if (d.UserARN != "") == want {
					devs = append(devs, d)
				}
			}
		}
		start, end, next, trunc, code, msg := s.page(action, form, len(devs))
		if code != "" {
			s.writeError(w, iamNS, code, msg)
			return
		}
		s.respond(w, iamNS, action, func(x *xw) {
			x.list("VirtualMFADevices", end-start, func(i int) { x.mfaDevice(&devs[start+i], a, a.MFASeeds) })
			x.more(next, trunc)
		})
	case "GenerateCredentialReport":
		state, desc := "COMPLETE", "Report generation completed"
		if !s.reportComplete {
			state, desc = "INPROGRESS", "Report generation in progress"
			if !s.reportStarted {
				state, desc = "STARTED", "No report exists. Starting a new report generation task"
				s.reportStarted = true
			}
			s.reportPolls--
			if s.reportPolls <= 0 {
				s.reportComplete = true
			}
		}
		s.respond(w, iamNS, action, func(x *xw) {
			x.leaf("State", state)
			x.leaf("Description", desc)
		})
	case "GetCredentialReport":
		switch {
		case !s.reportComplete && !s.reportStarted:
			s.writeError(w, iamNS, "ReportNotPresent", "Credential report not present.")
			return
		case !s.reportComplete:
			s.writeError(w, iamNS, "ReportInProgress", "Credential report is being generated.")
			return
		}
		csv := a.CredentialReport
		if csv == nil {
			csv = a.BuildCredentialReport()
		}
		s.respond(w, iamNS, action, func(x *xw) {
			x.leaf("Content", base64.StdEncoding.EncodeToString(csv))
			x.leaf("ReportFormat", "text/csv")
			x.time("GeneratedTime", a.ReportGenerated)
		})
	case "GetAccountAuthorizationDetails":
		s.authDetails(w, action, form)
	case "ListRoles":
		start, end, next, trunc, code, msg := s.page(action, form, len(a.Roles))
		if code != "" {
			s.writeError(w, iamNS, code, msg)
			return
		}
		s.respond(w, iamNS, action, func(x *xw) {
			x.list("Roles", end-start, func(i int) { x.role(&a.Roles[start+i]) })
			x.more(next, trunc)
		})
	case "ListServerCertificates", "ListOrganizationsFeatures":
		s.serveIAMSources(w, action, form)
	case "GetUser":
		name := form.Get("UserName")
		for i := range a.Users {
			if u := &a.Users[i]; u.Name == name {
				s.respond(w, iamNS, action, func(x *xw) {
					x.open("User")
					x.leaf("Path", u.Path)
					x.leaf("UserName", u.Name)
					x.leaf("UserId", u.ID)
					x.leaf("Arn", u.ARN)
					x.time("CreateDate", u.CreateDate)
					x.close("User")
				})
				return
			}
		}
		s.writeError(w, iamNS, "NoSuchEntity", "The user with name "+name+" cannot be found.")
	default:
		s.writeError(w, iamNS, "InvalidAction", "Could not find operation "+action+" for version 2010-05-08")
	}
}

func (x *xw) leafText(v string) { x.b.WriteString(escape(v)) }

func escape(v string) string {
	var b strings.Builder
	for _, r := range v {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// authDetails serves GetAccountAuthorizationDetails: users, groups, roles,
// then policies, filtered by Filter.member.N, paginated over all of them.
// Like AWS, AWS managed policies are listed only when in use.
func (s *Server) authDetails(w http.ResponseWriter, action string, form url.Values) {
	a := s.acct
	want := map[string]bool{}
	for i := 1; ; i++ {
		v := form.Get(fmt.Sprintf("Filter.member.%d", i))
		if v == "" {
			break
		}
		switch v {
		case "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy":
			want[v] = true
		default:
			s.writeError(w, iamNS, "ValidationError", "1 validation error detected: Value '["+v+"]' at 'filter' failed to satisfy constraint")
			return
		}
	}
	all := len(want) == 0
	type item struct {
		kind string
		i    int
	}
	var items []item
	add := func(kind string, n int) {
		if all || want[kind] {
			for i := 0; i < n; i++ {
				items = append(items, item{kind, i})
			}
		}
	}
	add("User", len(a.Users))
	add("Group", len(a.Groups))
	add("Role", len(a.Roles))
	for i, p := range a.Policies {
		switch {
		case IsAWSManaged(p.ARN):
			if (all || want["AWSManagedPolicy"]) && (p.AttachmentCount > 0 || p.PermissionsBoundaryUsageCount > 0) {
				items = append(items, item{"Policy", i})
			}
		case all || want["LocalManagedPolicy"]:
			items = append(items, item{"Policy", i})
		}
	}
	start, end, next, trunc, code, msg := s.page(action, form, len(items))
	if code != "" {
		s.writeError(w, iamNS, code, msg)
		return
	}
	win := items[start:end]
	pick := func(kind string) []int {
		var out []int
		for _, it := range win {
			if it.kind == kind {
				out = append(out, it.i)
			}
		}
		return out
	}
	s.respond(w, iamNS, action, func(x *xw) {
		us, gs, rs, ps := pick("User"), pick("Group"), pick("Role"), pick("Policy")
		x.list("UserDetailList", len(us), func(i int) { x.userDetail(&a.Users[us[i]]) })
		x.list("GroupDetailList", len(gs), func(i int) { x.groupDetail(&a.Groups[gs[i]]) })
		x.list("RoleDetailList", len(rs), func(i int) { x.roleDetail(&a.Roles[rs[i]]) })
		x.list("Policies", len(ps), func(i int) { x.policyDetail(&a.Policies[ps[i]]) })
		x.more(next, trunc)
	})
}
