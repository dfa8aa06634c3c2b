package iampolicy

import (
	"errors"
	"strings"
	"testing"
)

const urlGrammar = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"

func TestParseShapes(t *testing.T) {
	p := mustParse(t, "shapes", `{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"One","Effect":"Allow",
		"Action":"s3:GetObject","Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"],
		"Condition":{"NumericLessThan":{"n":[1,2.5]},"Bool":{"b":true}}}}`)
	if p.Version != Version2012 || p.ID != "x" || len(p.Statements) != 1 {
		t.Fatalf("%+v", p)
	}
	s := p.Statements[0]
	if s.Sid != "One" || s.Index != 1 || len(s.Action) != 1 || len(s.Resource) != 2 || len(s.Conditions) != 2 {
		t.Fatalf("%+v", s)
	}
	var vals []string
	for _, c := range s.Conditions {
		vals = append(vals, c.Values...)
	}
	if strings.Join(vals, ",") != "true,1,2.5" {
		t.Fatalf("condition values %v", vals)
	}
	tp := mustParse(t, "trust", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","111122223333"],"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]},
		{"Effect":"Deny","NotPrincipal":"*","NotAction":"sts:*","NotResource":"*"}]}`)
	if tp.Version != "" || len(tp.Statements) != 2 || tp.Statements[0].Principal == nil || len(tp.Statements[0].Principal.AWS) != 2 ||
		len(tp.Statements[0].Principal.Service) != 1 || !tp.Statements[1].NotPrincipal.Wildcard || tp.Statements[1].Index != 2 {
		t.Fatalf("%+v", tp)
	}
	ap := mustParse(t, "anyone", `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}]}`)
	if !ap.Statements[0].Principal.Wildcard {
		t.Fatal("{\"AWS\":\"*\"} is a wildcard principal")
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, doc   string
		stmt, field string
		msgContains string
	}{
		{"not json", `{`, "", "", "not a JSON object"},
		{"array doc", `[]`, "", "", "not a JSON object"},
		{"trailing", `{"Statement":[]} {}`, "", "", "trailing"},
		{"bad version", `{"Version":"2012-10-18","Statement":[]}`, "", "Version", "unsupported version"},
		{"no statement", `{"Version":"2012-10-17"}`, "", "Statement", "missing"},
		{"statement string", `{"Statement":"x"}`, "", "Statement", "object or an array"},
		{"unknown top", `{"Statement":[],"Statements":[]}`, "", "Statements", "unknown top-level"},
		{"effect case", `{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}`, "#1", "Effect", `"Allow" or "Deny"`},
		{"effect missing", `{"Statement":[{"Action":"*","Resource":"*"}]}`, "#1", "Effect", "missing"},
		{"no action", `{"Statement":[{"Sid":"S1","Effect":"Allow","Resource":"*"}]}`, "S1", "Action", "Action or NotAction"},
		{"both actions", `{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]}`, "#1", "Action", "mutually exclusive"},
		{"both resources", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}]}`, "#1", "Resource", "mutually exclusive"},
		{"action number", `{"Statement":[{"Effect":"Allow","Action":5,"Resource":"*"}]}`, "#1", "Action", "string or an array"},
		{"action no colon", `{"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}`, "#1", "Action", "service:Action"},
		{"empty statement", `{"Statement":[{},{"Effect":"Allow","Action":"*","Resource":"*"}]}`, "#1", "Effect", "missing"},
		{"unknown element 2", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Actions":"x"}]}`, "#1", "Actions", "unknown statement element"},
		{"principal string", `{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::1:root","Action":"*"}]}`, "#1", "Principal", `must be "*"`},
		{"principal type", `{"Statement":[{"Effect":"Allow","Principal":{"Users":"x"},"Action":"*"}]}`, "#1", "Principal.Users", "unknown principal type"},
		{"unknown operator", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqual":{"a":"b"}}}]}`, "#1", "Condition.StringEqual", "unknown condition operator"},
		{"bad qualifier", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForSomeValues:StringEquals":{"a":"b"}}}]}`, "#1", "Condition.ForSomeValues:StringEquals", "set qualifier"},
		{"null ifexists", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}]}`, "#1", "Condition.NullIfExists", "IfExists"},
		{"object value", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":{"b":"c"}}}}]}`, "#1", "Condition.StringEquals.a", "condition value"},
		{"null value", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":null}}}]}`, "#1", "Condition.StringEquals.a", "condition value"},
		{"sid number", `{"Statement":[{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}]}`, "#1", "Sid", "string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("pol.json", []byte(c.doc))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%s: want *ParseError, got %v", urlGrammar, err)
			}
			if pe.Policy != "pol.json" || pe.Statement != c.stmt || pe.Field != c.field || !strings.Contains(pe.Msg, c.msgContains) {
				t.Fatalf("got %#v, want statement %q field %q msg ~%q", pe, c.stmt, c.field, c.msgContains)
			}
			if !strings.Contains(pe.Error(), "pol.json") || (c.field != "" && !strings.Contains(pe.Error(), c.field)) {
				t.Fatalf("Error() does not name policy and field: %s", pe.Error())
			}
		})
	}
}
