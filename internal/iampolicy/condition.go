package iampolicy

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Condition operators as documented in
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

type family uint8

const (
	famString family = iota
	famStringIC
	famStringLike
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famArn
	famNull
)

type cmpKind uint8

const (
	cmpEq cmpKind = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

type opInfo struct {
	name    string
	family  family
	cmp     cmpKind
	negated bool // a "Not" operator: values are NOR'ed, absent key matches
}

var operators = func() map[string]*opInfo {
	m := map[string]*opInfo{}
	add := func(name string, f family, c cmpKind, neg bool) {
		m[strings.ToLower(name)] = &opInfo{name: name, family: f, cmp: c, negated: neg}
	}
	add("StringEquals", famString, cmpEq, false)
	add("StringNotEquals", famString, cmpEq, true)
	add("StringEqualsIgnoreCase", famStringIC, cmpEq, false)
	add("StringNotEqualsIgnoreCase", famStringIC, cmpEq, true)
	add("StringLike", famStringLike, cmpEq, false)
	add("StringNotLike", famStringLike, cmpEq, true)
	for _, f := range []struct {
		prefix string
		fam    family
	}{{"Numeric", famNumeric}, {"Date", famDate}} {
		add(f.prefix+"Equals", f.fam, cmpEq, false)
		add(f.prefix+"NotEquals", f.fam, cmpEq, true)
		add(f.prefix+"LessThan", f.fam, cmpLt, false)
		add(f.prefix+"LessThanEquals", f.fam, cmpLe, false)
		add(f.prefix+"GreaterThan", f.fam, cmpGt, false)
		add(f.prefix+"GreaterThanEquals", f.fam, cmpGe, false)
	}
	add("Bool", famBool, cmpEq, false)
	add("BinaryEquals", famBinary, cmpEq, false)
	add("IpAddress", famIP, cmpEq, false)
	add("NotIpAddress", famIP, cmpEq, true)
	add("ArnEquals", famArn, cmpEq, false)
	add("ArnLike", famArn, cmpEq, false)
	add("ArnNotEquals", famArn, cmpEq, true)
	add("ArnNotLike", famArn, cmpEq, true)
	add("Null", famNull, cmpEq, false)
	return m
}()

// lookupOp finds an operator by name (case-insensitive).
func lookupOp(name string) *opInfo { return operators[strings.ToLower(name)] }

// condValue is one policy value compiled for its operator family.
type condValue struct {
	raw   string
	lit   string  // value with escapes applied, when it has no variables
	toks  []token // String*, Arn*: with variables resolved per request
	vars  bool
	num   float64
	t     int64 // unix nanoseconds
	pfx   netip.Prefix
	arn   resourcePattern
	valid bool // numeric/date/ip value parsed
	b     bool
}

func compileValues(op *opInfo, vals []string, vars bool) []condValue {
	out := make([]condValue, len(vals))
	for i, v := range vals {
		cv := condValue{raw: v}
		switch op.family {
		case famString, famStringIC:
			cv.toks = parseTemplate(v, vars, false)
			cv.vars = hasVars(cv.toks)
		case famStringLike:
			cv.toks = parseTemplate(v, vars, true)
			cv.vars = hasVars(cv.toks)
		case famBool:
			// Policy variables are supported for Bool; values compare case-insensitively.
			cv.toks = parseTemplate(v, vars, false)
			cv.vars = hasVars(cv.toks)
		case famNumeric:
			cv.num, cv.valid = parseNumber(v)
		case famDate:
			cv.t, cv.valid = parseDate(v)
		case famIP:
			cv.pfx, cv.valid = parseCIDR(v)
		case famArn:
			cv.arn = compileResource(v, vars)
		case famNull:
			switch strings.ToLower(v) {
			case "true":
				cv.valid, cv.b = true, true
			case "false":
				cv.valid, cv.b = true, false
			}
		}
		if !cv.vars {
			cv.lit = joinTokens(cv.toks)
		}
		out[i] = cv
	}
	return out
}

// parseNumber accepts the integer and decimal forms the Numeric operators
// document ("-12", "3.5"); not hex, exponents, Inf or NaN.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !isDecimal(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

func isDecimal(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return false
	}
	if intPart != "" && !isDigits(intPart) {
		return false
	}
	return !hasDot || frac == "" || isDigits(frac)
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z",
}

// parseDate accepts ISO 8601 forms and epoch seconds (the two forms AWS
// documents for Date operators).
func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if isDecimal(s) && !strings.Contains(s, ".") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
			return 0, false
		}
		return n * int64(time.Second), true
	}
	if isDecimal(s) {
		// Epoch seconds with a fraction.
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f > float64(math.MaxInt64/int64(time.Second)) || f < float64(math.MinInt64/int64(time.Second)) {
			return 0, false
		}
		return int64(f * float64(time.Second)), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// evalCondition decides one condition. absent reports that the key was not
// in the request (for Decision.Missing).
func evalCondition(c *Condition, e *env) (match, absent bool) {
	vals, present := e.lookup(c.Key)
	if len(vals) == 0 {
		present = false
	}
	if c.op.family == famNull {
		// Null: "true" means the key must be absent, "false" present.
		for i := range c.compiled {
			cv := &c.compiled[i]
			if cv.valid && cv.b != present {
				return true, false
			}
		}
		return false, false
	}
	if !present {
		switch {
		case c.Qualifier == "ForAllValues":
			// Vacuously true for an absent or empty key.
			return true, true
		case c.Qualifier == "ForAnyValue":
			// False for an absent key, IfExists or not.
			return false, true
		case c.IfExists:
			return true, true
		case c.op.negated:
			// "If the policy condition requires that the key is not matched,
			// such as StringNotLike or ArnNotLike, and the right key is not
			// present, the condition is true."
			return true, true
		}
		return false, true
	}
	switch c.Qualifier {
	case "ForAllValues":
		for _, v := range vals {
			if !valueSatisfies(c, v, e) {
				return false, false
			}
		}
		return true, false
	case "ForAnyValue":
		for _, v := range vals {
			if valueSatisfies(c, v, e) {
				return true, false
			}
		}
		return false, false
	}
	// No qualifier: a multivalued key needs a set operator, so a plain
	// operator never matches it, negated or not.
	if c.multi || len(vals) > 1 {
		return false, false
	}
	return valueSatisfies(c, vals[0], e), false
}

// valueSatisfies applies the operator to one request value: positive
// operators match if any policy value matches (OR); negated operators match
// if no policy value matches (NOR). A policy value with an unresolvable
// variable matches nothing, and makes a negated operator false.
func valueSatisfies(c *Condition, v string, e *env) bool {
	if c.op.negated {
		for i := range c.compiled {
			m, ok := matchValue(c.op, &c.compiled[i], v, e)
			if !ok || m {
				return false
			}
		}
		return true
	}
	for i := range c.compiled {
		if m, ok := matchValue(c.op, &c.compiled[i], v, e); ok && m {
			return true
		}
	}
	return false
}

// matchValue compares one request value with one policy value using the
// operator's positive form. ok is false when either side cannot be
// interpreted (bad number, date, address, unresolvable variable).
func matchValue(op *opInfo, cv *condValue, v string, e *env) (match, ok bool) {
	switch op.family {
	case famString, famStringIC, famBool:
		var want string
		if cv.vars {
			var buf [8]seg
			segs, rok := resolve(buf[:0], cv.toks, e)
			if !rok {
				return false, false
			}
			want = joinSegs(segs)
		} else {
			want = cv.lit
		}
		switch op.family {
		case famString:
			return v == want, true
		case famStringIC:
			return strings.EqualFold(v, want), true
		default:
			wt, wf := strings.EqualFold(want, "true"), strings.EqualFold(want, "false")
			vt, vf := strings.EqualFold(v, "true"), strings.EqualFold(v, "false")
			if !(wt || wf) || !(vt || vf) {
				return false, false
			}
			return wt == vt, true
		}
	case famStringLike:
		var buf [16]seg
		segs, rok := resolve(buf[:0], cv.toks, e)
		if !rok {
			return false, false
		}
		return matchSegs(segs, v, false), true
	case famNumeric:
		n, nok := parseNumber(v)
		if !cv.valid || !nok {
			return false, false
		}
		return compare(op.cmp, n, cv.num), true
	case famDate:
		t, tok := parseDate(v)
		if !cv.valid || !tok {
			return false, false
		}
		return compare(op.cmp, t, cv.t), true
	case famIP:
		a, err := netip.ParseAddr(strings.TrimSpace(v))
		if !cv.valid || err != nil {
			return false, false
		}
		if cv.pfx.Addr().Is4() {
			a = a.Unmap()
		}
		return cv.pfx.Contains(a), true
	case famBinary:
		return v == cv.raw, true
	case famArn:
		return cv.arn.matchResolved(v, e, false)
	}
	return false, false
}

// compare applies a Numeric or Date comparison.
func compare[T int64 | float64](c cmpKind, a, b T) bool {
	switch c {
	case cmpEq:
		return a == b
	case cmpLt:
		return a < b
	case cmpLe:
		return a <= b
	case cmpGt:
		return a > b
	case cmpGe:
		return a >= b
	}
	return false
}

func joinSegs(segs []seg) string {
	if len(segs) == 1 {
		return segs[0].text
	}
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.text)
	}
	return b.String()
}

func joinTokens(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}
