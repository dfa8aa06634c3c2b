package iamtest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// The services beyond IAM and STS that the server answers, each in its
// own protocol as AWS serves it:
//
//   - EC2 (2016-11-15): the EC2 Query protocol, XML without a Result
//     wrapper, lists as <item>, errors as <Response><Errors>;
//   - Account Management: REST-JSON, POST /listRegions and
//     /getAlternateContact, errors in the X-Amzn-Errortype header;
//   - IAM Access Analyzer: REST-JSON, GET /analyzer;
//   - Lambda (2015-03-31): REST-JSON, GET /2015-03-31/functions/ with
//     Marker and NextMarker paging, errors in the X-Amzn-Errortype header.
//
// Every request is counted by operation and by the region and service of
// its SigV4 credential scope (Calls). The regional services answer only in
// the account's enabled regions (Account.Regions); elsewhere they fail as
// AWS does for a region the account has not opted in to.

const ec2NS = "http://ec2.amazonaws.com/doc/2016-11-15/"

type protocol int

const (
	protoQuery protocol = iota // IAM and STS
	protoEC2
	protoJSON
	protoOrg // AWS JSON 1.1 with X-Amz-Target (Organizations)
)

// Call is one operation in one region, as the server counts requests.
type Call struct {
	Service string // the signing name: iam, sts, ec2, account, access-analyzer, lambda
	Action  string
	Region  string
}

type request struct {
	proto   protocol
	ns      string
	service string
	action  string
	region  string
	key     string     // the access key ID the request was signed with
	form    url.Values // query parameters, form fields or the JSON body's members
}

var credentialKey = regexp.MustCompile(`Credential=([^/,\s]+)/`)

var credentialScope = regexp.MustCompile(`Credential=[^/,\s]+/[0-9]{8}/([^/]+)/([^/]+)/aws4_request`)

// parseRequest reads the operation, the protocol and the credential scope
// of r. Requests that carry no signature (the server's own tests) are
// taken as us-east-1.
func parseRequest(r *http.Request) (*request, error) {
	req := &request{proto: protoQuery, ns: iamNS, region: "us-east-1"}
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		req.region, req.service = m[1], m[2]
	}
	if m := credentialKey.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		req.key = m[1]
	}
	if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, orgTargetPrefix) {
		req.proto, req.ns = protoOrg, ""
		req.action = strings.TrimPrefix(target, orgTargetPrefix)
		if req.service == "" {
			req.service = "organizations"
		}
		form, err := jsonForm(r.Body)
		req.form = form
		return req, err
	}
	switch {
	case r.URL.Path == "/listRegions" || r.URL.Path == "/getAlternateContact":
		req.proto, req.ns = protoJSON, ""
		req.action = map[string]string{"/listRegions": "ListRegions", "/getAlternateContact": "GetAlternateContact"}[r.URL.Path]
		if req.service == "" {
			req.service = "account"
		}
		form, err := jsonForm(r.Body)
		req.form = form
		return req, err
	case strings.HasPrefix(r.URL.Path, "/analyzer"):
		req.proto, req.ns = protoJSON, ""
		if r.URL.Path == "/analyzer" && r.Method == http.MethodGet {
			req.action = "ListAnalyzers"
		}
		if req.service == "" {
			req.service = "access-analyzer"
		}
		req.form = r.URL.Query()
		return req, nil
	case r.URL.Path == "/2015-03-31/functions/" || r.URL.Path == "/2015-03-31/functions":
		req.proto, req.ns = protoJSON, ""
		if r.Method == http.MethodGet {
			req.action = "ListFunctions"
		}
		if req.service == "" {
			req.service = "lambda"
		}
		req.form = r.URL.Query()
		return req, nil
	}
	if err := r.ParseForm(); err != nil {
		req.form = url.Values{}
		return req, err
	}
	req.form = r.Form
	req.action = r.Form.Get("Action")
	switch r.Form.Get("Version") {
	case "2011-06-15":
		req.ns = stsNS
	case "2016-11-15":
		req.proto, req.ns = protoEC2, ec2NS
	}
	if req.service == "" {
		req.service = map[string]string{iamNS: "iam", stsNS: "sts", ec2NS: "ec2"}[req.ns]
	}
	return req, nil
}

// jsonForm flattens a JSON object body into form values: a list becomes
// repeated values, anything else its text.
func jsonForm(body io.Reader) (url.Values, error) {
	form := url.Values{}
	data, err := io.ReadAll(body)
	if err != nil || len(strings.TrimSpace(string(data))) == 0 {
		return form, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return form, errors.New("the request body is not a JSON object")
	}
	for k, v := range m {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				form.Add(k, fmt.Sprint(e))
			}
		case string:
			form.Set(k, v)
		case float64:
			form.Set(k, strconv.FormatFloat(v, 'f', -1, 64))
		default:
			b, _ := json.Marshal(v)
			form.Set(k, string(b))
		}
	}
	return form, nil
}

// ServiceOf is the IAM action prefix of an operation the server answers.
func ServiceOf(action string) string {
	switch action {
	case "GetCallerIdentity", "AssumeRole":
		return "sts"
	case "ListRegions", "GetAlternateContact":
		return "account"
	case "ListAnalyzers":
		return "access-analyzer"
	case "DescribeInstances", "DescribeRegions":
		return "ec2"
	case "ListFunctions":
		return "lambda"
	}
	if orgActions[action] {
		return "organizations"
	}
	return "iam"
}

// denial is the access denied error of action's service.
func (s *Server) denial(action string) (code, msg string) {
	svc := ServiceOf(action)
	switch svc {
	case "organizations":
		return "AccessDeniedException", "You don't have permissions to access this resource."
	case "account", "access-analyzer":
		return "AccessDeniedException", fmt.Sprintf("User: arn:aws:iam::%s:user/auditor is not authorized to perform: %s:%s on resource: *", s.acct.ID, svc, action)
	case "lambda":
		return "AccessDeniedException", fmt.Sprintf("User: arn:aws:iam::%s:user/auditor is not authorized to perform: lambda:%s on resource: arn:aws:lambda:*:%s:function:* because no identity-based policy allows the lambda:%s action", s.acct.ID, action, s.acct.ID, action)
	case "ec2":
		return "UnauthorizedOperation", fmt.Sprintf("You are not authorized to perform this operation. User: arn:aws:iam::%s:user/auditor is not authorized to perform: ec2:%s because no identity-based policy allows the ec2:%s action", s.acct.ID, action, action)
	}
	return "AccessDenied", fmt.Sprintf("User: arn:aws:iam::%s:user/auditor is not authorized to perform: iam:%s on resource: *", s.acct.ID, action)
}

// throttleCode is the throttling error code of action's service.
func throttleCode(action string) string {
	switch ServiceOf(action) {
	case "account", "lambda", "organizations":
		return "TooManyRequestsException"
	case "access-analyzer":
		return "ThrottlingException"
	case "ec2":
		return "RequestLimitExceeded"
	}
	return "Throttling"
}

// FailIn makes the next times requests for action in region fail with
// code; times <= 0: every request. It takes precedence over Fail.
func (s *Server) FailIn(action, region, code, message string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times <= 0 {
		times = -1
	}
	s.regionFaults[action+"@"+region] = &fault{code: code, msg: message, times: times}
}

// DenyAccessIn makes every request for action in region fail with the
// service's access denied error (as an SCP denying the region does).
func (s *Server) DenyAccessIn(action, region string) {
	code, msg := s.denial(action)
	s.FailIn(action, region, code, msg, 0)
}

// CountIn is the number of requests for action in region.
func (s *Server) CountIn(action, region string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for c, v := range s.calls {
		if c.Action == action && c.Region == region {
			n += v
		}
	}
	return n
}

// Calls returns a copy of the request counts by service, operation and
// region.
func (s *Server) Calls() map[Call]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[Call]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// writeErr writes an error in req's protocol.
func (s *Server) writeErr(w http.ResponseWriter, req *request, code, msg string) {
	switch {
	case req == nil:
		s.writeError(w, iamNS, code, msg)
	case req.proto == protoEC2:
		var x xw
		x.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
		x.open("Response")
		x.open("Errors")
		x.open("Error")
		x.leaf("Code", code)
		x.leaf("Message", msg)
		x.close("Error")
		x.close("Errors")
		x.leaf("RequestID", s.requestID())
		x.close("Response")
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.WriteHeader(errorStatus(code))
		_, _ = w.Write([]byte(x.b.String()))
	case req.proto == protoOrg:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Requestid", s.requestID())
		w.WriteHeader(errorStatus(code))
		b, _ := json.Marshal(map[string]string{"__type": code, "message": msg})
		_, _ = w.Write(b)
	case req.proto == protoJSON:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", code)
		w.Header().Set("X-Amzn-Requestid", s.requestID())
		w.WriteHeader(errorStatus(code))
		b, _ := json.Marshal(map[string]string{"message": msg})
		_, _ = w.Write(b)
	default:
		s.writeError(w, req.ns, code, msg)
	}
}

func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", s.requestID())
	_, _ = w.Write(b)
}

// regionEnabled reports whether the account has region enabled.
func (s *Server) regionEnabled(region string) bool {
	for _, r := range s.acct.Regions {
		if r.Name == region {
			return r.OptStatus == "ENABLED" || r.OptStatus == "ENABLED_BY_DEFAULT"
		}
	}
	return false
}

// tokenPage is page for NextToken listings: the token carries the offset.
// PageBadMarker hands out a token the next request is refused for;
// PageEndless never ends the listing; PageNoMarker ends it early (a token
// listing has no IsTruncated to contradict).
func (s *Server) tokenPage(action, token string, maxResults, n int) (start, end int, next string, ok bool) {
	if token != "" {
		raw, err := base64.StdEncoding.DecodeString(token)
		offText, _, _ := strings.Cut(strings.TrimPrefix(string(raw), "iamtest-token:"), ":")
		off, err2 := strconv.Atoi(offText)
		if token == badMarker || err != nil || err2 != nil || !strings.HasPrefix(string(raw), "iamtest-token:") || off < 0 || off > n {
			return 0, 0, "", false
		}
		start = off
	}
	end = min(start+maxResults, n)
	switch s.pageFaults[action] {
	case PageEndless:
		s.endless++
		off := end
		if end >= n {
			off = 0
		}
		return start, end, base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("iamtest-token:%d:%d", off, s.endless))), true
	case PageNoMarker:
		return start, end, "", true
	}
	if end < n {
		if s.pageFaults[action] == PageBadMarker {
			return start, end, badMarker, true
		}
		next = base64.StdEncoding.EncodeToString([]byte("iamtest-token:" + strconv.Itoa(end)))
	}
	return start, end, next, true
}

// maxResults reads a page size parameter: def when absent, ok false when
// outside [lo, hi].
func maxResults(form url.Values, name string, def, lo, hi int) (int, bool) {
	v := form.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= lo && n <= hi
}

func (s *Server) serveIAMSources(w http.ResponseWriter, action string, form url.Values) {
	a := s.acct
	switch action {
	case "ListServerCertificates":
		certs := a.ServerCertificates
		if p := form.Get("PathPrefix"); p != "" {
			certs = nil
			for _, c := range a.ServerCertificates {
				if strings.HasPrefix(c.Path, p) {
					certs = append(certs, c)
				}
			}
		}
		start, end, next, trunc, code, msg := s.page(action, form, len(certs))
		if code != "" {
			s.writeError(w, iamNS, code, msg)
			return
		}
		s.respond(w, iamNS, action, func(x *xw) {
			x.list("ServerCertificateMetadataList", end-start, func(i int) {
				c := &certs[start+i]
				x.leaf("Path", c.Path)
				x.leaf("ServerCertificateName", c.Name)
				x.leaf("ServerCertificateId", c.ID)
				x.leaf("Arn", c.ARN)
				if c.UploadDate != nil {
					x.time("UploadDate", *c.UploadDate)
				}
				if c.Expiration != nil {
					x.time("Expiration", *c.Expiration)
				}
			})
			x.more(next, trunc)
		})
	case "ListOrganizationsFeatures":
		code := a.OrganizationsError
		if code == "" && a.OrganizationsFeatures == nil {
			code = "OrganizationNotFoundException"
		}
		if code != "" {
			msg, ok := organizationsMessages[code]
			if !ok {
				msg = code
			}
			s.writeError(w, iamNS, code, msg)
			return
		}
		f := a.OrganizationsFeatures
		s.respond(w, iamNS, action, func(x *xw) {
			x.opt("OrganizationId", f.OrganizationID)
			x.list("EnabledFeatures", len(f.EnabledFeatures), func(i int) { x.leafText(f.EnabledFeatures[i]) })
		})
	}
}

// organizationsMessages are ListOrganizationsFeatures' errors as IAM words them.
var organizationsMessages = map[string]string{
	"OrganizationNotFoundException":                         "The request was rejected because no organization is associated with your account.",
	"AccountNotManagementOrDelegatedAdministratorException": "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.",
	"ServiceAccessNotEnabledException":                      "The request was rejected because trusted access is not enabled for IAM in Organizations.",
	"OrganizationNotInAllFeaturesModeException":             "The request was rejected because your organization does not have All features enabled.",
}

func (s *Server) serveEC2(w http.ResponseWriter, req *request) {
	a := s.acct
	if !s.regionEnabled(req.region) {
		s.writeErr(w, req, "AuthFailure", "AWS was not able to validate the provided access credentials")
		return
	}
	respond := func(body func(x *xw)) {
		var x xw
		x.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
		x.b.WriteString(`<` + req.action + `Response xmlns="` + ec2NS + `">`)
		x.leaf("requestId", s.requestID())
		body(&x)
		x.close(req.action + "Response")
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		_, _ = w.Write([]byte(x.b.String()))
	}
	switch req.action {
	case "DescribeRegions":
		all := req.form.Get("AllRegions") == "true"
		respond(func(x *xw) {
			x.open("regionInfo")
			for _, r := range a.Regions {
				status := map[string]string{"ENABLED": "opted-in", "ENABLED_BY_DEFAULT": "opt-in-not-required"}[r.OptStatus]
				if status == "" {
					if !all {
						continue
					}
					status = "not-opted-in"
				}
				x.open("item")
				x.leaf("regionName", r.Name)
				x.leaf("regionEndpoint", "ec2."+r.Name+".amazonaws.com")
				x.leaf("optInStatus", status)
				x.close("item")
			}
			x.close("regionInfo")
		})
	case "DescribeInstances":
		n, ok := maxResults(req.form, "MaxResults", 1000, 5, 1000)
		if !ok {
			s.writeErr(w, req, "InvalidParameterValue", "Value ( "+req.form.Get("MaxResults")+" ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.")
			return
		}
		insts := a.EC2Instances[req.region]
		start, end, next, ok := s.tokenPage(req.action, req.form.Get("NextToken"), n, len(insts))
		if !ok {
			s.writeErr(w, req, "InvalidParameterValue", "Invalid value '"+req.form.Get("NextToken")+"' for nextToken")
			return
		}
		page := insts[start:end]
		respond(func(x *xw) {
			x.open("reservationSet")
			// Three instances a reservation, as launches of several
			// instances at once make them.
			for i := 0; i < len(page); i += 3 {
				x.open("item")
				x.leaf("reservationId", fmt.Sprintf("r-%017x", start+i))
				x.leaf("ownerId", a.ID)
				x.empty("groupSet")
				x.open("instancesSet")
				for _, in := range page[i:min(i+3, len(page))] {
					x.ec2Instance(&in)
				}
				x.close("instancesSet")
				x.close("item")
			}
			x.close("reservationSet")
			x.opt("nextToken", next)
		})
	default:
		s.writeErr(w, req, "InvalidAction", "The action "+req.action+" is not valid for this web service.")
	}
}

var ec2StateCodes = map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}

func (x *xw) ec2Instance(in *snapshot.EC2Instance) {
	x.open("item")
	x.leaf("instanceId", in.ID)
	x.leaf("imageId", "ami-0123456789abcdef0")
	x.open("instanceState")
	x.int("code", int64(ec2StateCodes[in.State]))
	x.leaf("name", in.State)
	x.close("instanceState")
	x.leaf("instanceType", "t3.micro")
	if in.LaunchTime != nil {
		x.leaf("launchTime", in.LaunchTime.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if in.InstanceProfileARN != "" {
		x.open("iamInstanceProfile")
		x.leaf("arn", in.InstanceProfileARN)
		x.leaf("id", "AIPA"+strings.ToUpper(fmt.Sprintf("%016x", len(in.InstanceProfileARN)))+"EXAMPLE")
		x.close("iamInstanceProfile")
	}
	x.close("item")
}

func (s *Server) serveJSON(w http.ResponseWriter, req *request) {
	a := s.acct
	switch req.action {
	case "ListRegions":
		n, ok := maxResults(req.form, "MaxResults", 20, 1, 50)
		if !ok {
			s.writeErr(w, req, "ValidationException", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50")
			return
		}
		want := map[string]bool{}
		for _, v := range req.form["RegionOptStatusContains"] {
			want[v] = true
		}
		var regions []snapshot.Region
		for _, r := range a.Regions {
			if len(want) == 0 || want[r.OptStatus] {
				regions = append(regions, r)
			}
		}
		start, end, next, ok := s.tokenPage(req.action, req.form.Get("NextToken"), n, len(regions))
		if !ok {
			s.writeErr(w, req, "ValidationException", "The NextToken is invalid")
			return
		}
		type region struct {
			RegionName      string
			RegionOptStatus string
		}
		out := struct {
			NextToken string   `json:",omitempty"`
			Regions   []region `json:"Regions"`
		}{NextToken: next, Regions: []region{}}
		for _, r := range regions[start:end] {
			out.Regions = append(out.Regions, region{r.Name, r.OptStatus})
		}
		s.writeJSON(w, out)
	case "GetAlternateContact":
		typ := req.form.Get("AlternateContactType")
		switch typ {
		case "SECURITY", "BILLING", "OPERATIONS":
		default:
			s.writeErr(w, req, "ValidationException", "1 validation error detected: Value '"+typ+"' at 'alternateContactType' failed to satisfy constraint")
			return
		}
		c := a.SecurityContact
		if typ != "SECURITY" || c == nil {
			s.writeErr(w, req, "ResourceNotFoundException", "No contact of the inputted alternate contact type found.")
			return
		}
		s.writeJSON(w, map[string]any{"AlternateContact": map[string]string{
			"AlternateContactType": "SECURITY", "Name": c.Name, "Title": c.Title,
			"EmailAddress": c.Email, "PhoneNumber": c.Phone,
		}})
	case "ListAnalyzers":
		if !s.regionEnabled(req.region) {
			s.writeErr(w, req, "UnrecognizedClientException", "The security token included in the request is invalid.")
			return
		}
		n, ok := maxResults(req.form, "maxResults", 100, 1, 1000)
		if !ok {
			s.writeErr(w, req, "ValidationException", "Invalid maxResults")
			return
		}
		var list []snapshot.AccessAnalyzer
		for _, an := range a.AccessAnalyzers[req.region] {
			if t := req.form.Get("type"); t == "" || t == an.Type {
				list = append(list, an)
			}
		}
		start, end, next, ok := s.tokenPage(req.action, req.form.Get("nextToken"), n, len(list))
		if !ok {
			s.writeErr(w, req, "ValidationException", "Invalid nextToken")
			return
		}
		items := []map[string]any{}
		for _, an := range list[start:end] {
			item := map[string]any{"arn": an.ARN, "name": an.Name, "type": an.Type, "status": an.Status}
			if an.CreatedAt != nil {
				item["createdAt"] = an.CreatedAt.UTC().Format(time.RFC3339)
			}
			if an.StatusReason != "" {
				item["statusReason"] = map[string]string{"code": an.StatusReason}
			}
			if len(an.Tags) > 0 {
				tags := map[string]string{}
				for _, t := range an.Tags {
					tags[t.Key] = t.Value
				}
				item["tags"] = tags
			}
			items = append(items, item)
		}
		out := map[string]any{"analyzers": items}
		if next != "" {
			out["nextToken"] = next
		}
		s.writeJSON(w, out)
	case "ListFunctions":
		s.listFunctions(w, req)
	default:
		s.writeErr(w, req, "UnknownOperationException", "The operation is not supported by this server")
	}
}

// DefaultRegions are the regions of the aws partition: the 17 enabled by
// default (ENABLED_BY_DEFAULT, snapshottest.EnabledByDefaultRegions) and
// the opt-in ones, not enabled (DISABLED).
func DefaultRegions() []snapshot.Region {
	var out []snapshot.Region
	for _, n := range snapshottest.EnabledByDefaultRegions {
		out = append(out, snapshot.Region{Name: n, OptStatus: "ENABLED_BY_DEFAULT"})
	}
	for _, n := range optInRegions {
		out = append(out, snapshot.Region{Name: n, OptStatus: "DISABLED"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

var optInRegions = []string{
	"af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ca-west-1",
	"eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1",
}

// withOptIns completes a recorded list of enabled regions with the other
// regions of DefaultRegions, as DISABLED: a region the recording did not
// list was not enabled when it was made.
func withOptIns(enabled []snapshot.Region) []snapshot.Region {
	out := append([]snapshot.Region(nil), enabled...)
	have := map[string]bool{}
	for _, r := range enabled {
		have[r.Name] = true
	}
	for _, r := range DefaultRegions() {
		if !have[r.Name] {
			out = append(out, snapshot.Region{Name: r.Name, OptStatus: "DISABLED"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LambdaSecret is the value of an environment variable every function the
// server lists carries, as ListFunctions returns a function's environment
// with its configuration: a test checks the collector never records it.
const LambdaSecret = "iamtest-lambda-environment-secret-do-not-record"

// listFunctions is Lambda's ListFunctions: at most 50 functions a page
// whatever MaxItems asks (1 to 10000), the next page's Marker in
// NextMarker, each function with a configuration as AWS returns it
// (runtime, environment variables, layers...).
func (s *Server) listFunctions(w http.ResponseWriter, req *request) {
	if !s.regionEnabled(req.region) {
		s.writeErr(w, req, "UnrecognizedClientException", "The security token included in the request is invalid.")
		return
	}
	n, ok := maxResults(req.form, "MaxItems", 50, 1, 10000)
	if !ok {
		s.writeErr(w, req, "InvalidParameterValueException", "1 validation error detected: Value '"+req.form.Get("MaxItems")+"' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000")
		return
	}
	fns := s.acct.LambdaFunctions[req.region]
	start, end, next, ok := s.tokenPage(req.action, req.form.Get("Marker"), min(n, 50), len(fns))
	if !ok {
		s.writeErr(w, req, "InvalidParameterValueException", "Invalid marker: "+req.form.Get("Marker"))
		return
	}
	items := []map[string]any{}
	for _, fn := range fns[start:end] {
		items = append(items, map[string]any{
			"FunctionName": fn.Name, "FunctionArn": fn.ARN, "Role": fn.Role,
			"Runtime": "python3.12", "Handler": "app.handler", "CodeSize": 1024, "MemorySize": 128, "Timeout": 3,
			"Description": "", "LastModified": "2026-11-02T06:00:00.000+0000", "CodeSha256": "c2hhMjU2LW9mLXRoZS1jb2Rl",
			"Version": "$LATEST", "PackageType": "Zip", "Architectures": []string{"x86_64"},
			"Environment":   map[string]any{"Variables": map[string]string{"DB_PASSWORD": LambdaSecret}},
			"TracingConfig": map[string]string{"Mode": "PassThrough"},
		})
	}
	out := map[string]any{"Functions": items}
	if next != "" {
		out["NextMarker"] = next
	}
	s.writeJSON(w, out)
}
