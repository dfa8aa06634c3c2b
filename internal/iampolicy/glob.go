package iampolicy

import "strings"

// Patterns are compiled at Parse time into token lists. Policy variables
// stay as tokens and are resolved per request to literal text, so a value
// such as "a*b" coming from the request context never acts as a wildcard.

type tokKind uint8

const (
	tokLit   tokKind = iota // literal text
	tokStar                 // * : any run of characters
	tokQmark                // ? : exactly one character
	tokVar                  // ${key} or ${key, 'default'}
)

type token struct {
	kind   tokKind
	text   string // literal text, or the variable's key
	def    string // default value of a variable
	hasDef bool
	multi  bool // the variable names a multivalued key: never resolvable
}

// seg is a resolved token (no variables).
type seg struct {
	kind tokKind
	text string
}

// parseTemplate splits s into tokens. vars enables ${...} policy variables
// (only in 2012-10-17 policies; in older versions ${...} is literal text).
// wildcards enables * and ?.
func parseTemplate(s string, vars, wildcards bool) []token {
	var out []token
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, token{kind: tokLit, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if vars && c == '$' && i+1 < len(s) && s[i+1] == '{' {
			if end := strings.IndexByte(s[i+2:], '}'); end >= 0 {
				body := s[i+2 : i+2+end]
				i += 2 + end + 1
				switch body {
				case "*", "?", "$":
					// Escapes for characters that would otherwise be special.
					lit.WriteString(body)
					continue
				}
				key, def, hasDef := splitVarDefault(body)
				if key == "" {
					lit.WriteString("${" + body + "}")
					continue
				}
				flush()
				out = append(out, token{kind: tokVar, text: key, def: def, hasDef: hasDef, multi: MultivaluedKey(key)})
				continue
			}
		}
		if wildcards && (c == '*' || c == '?') {
			flush()
			k := tokStar
			if c == '?' {
				k = tokQmark
			}
			// Collapse runs of * (equivalent and keeps matching linear).
			if k == tokStar && len(out) > 0 && out[len(out)-1].kind == tokStar {
				i++
				continue
			}
			out = append(out, token{kind: k})
			i++
			continue
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	return out
}

// splitVarDefault parses "key" or "key, 'default'".
func splitVarDefault(body string) (key, def string, hasDef bool) {
	if i := strings.IndexByte(body, ','); i >= 0 {
		key = strings.TrimSpace(body[:i])
		d := strings.TrimSpace(body[i+1:])
		if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
			return key, d[1 : len(d)-1], true
		}
		return "", "", false
	}
	return strings.TrimSpace(body), "", false
}

func hasVars(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokVar {
			return true
		}
	}
	return false
}

// resolve appends the tokens to dst with variables replaced by their values.
// ok is false when a variable cannot be resolved (absent without default, or
// multi-valued): AWS then treats the pattern as matching nothing.
func resolve(dst []seg, toks []token, e *env) ([]seg, bool) {
	for _, t := range toks {
		if t.kind != tokVar {
			dst = append(dst, seg{kind: t.kind, text: t.text})
			continue
		}
		v, ok := e.variable(t.text)
		if !ok || t.multi {
			if !t.hasDef {
				return dst, false
			}
			v = t.def
		}
		if v != "" {
			dst = append(dst, seg{kind: tokLit, text: v})
		}
	}
	return dst, true
}

// glob is a compiled action pattern (no variables), matched case-insensitively.
type glob struct {
	raw    string
	all    bool
	exact  bool   // no wildcards: case-insensitive equality with raw
	prefix string // only a trailing *: case-insensitive prefix test
	segs   []seg
}

func compileGlob(pattern string) glob {
	g := glob{raw: pattern, all: pattern == "*"}
	for _, t := range parseTemplate(pattern, false, true) {
		g.segs = append(g.segs, seg{kind: t.kind, text: t.text})
	}
	switch {
	case len(g.segs) == 1 && g.segs[0].kind == tokLit:
		g.exact = true
	case len(g.segs) == 2 && g.segs[0].kind == tokLit && g.segs[1].kind == tokStar:
		g.prefix = g.segs[0].text
	}
	return g
}

func (g *glob) match(s string) bool {
	switch {
	case g.all:
		return true
	case g.exact:
		return asciiEqualFold(g.raw, s)
	case g.prefix != "":
		return len(s) >= len(g.prefix) && asciiEqualFold(s[:len(g.prefix)], g.prefix)
	}
	return matchSegs(g.segs, s, true)
}

// resourcePattern is a compiled Resource/NotResource entry or ARN condition
// value. ARNs are matched field by field (arn:partition:service:region:
// account:resource) with wildcards inside a field; the resource field keeps
// its own colons. A shortened ARN pattern (fewer than six fields) has its
// missing fields read as "*" -- which is how a trailing * "can expand to match
// beyond the colon boundaries" (IAM User Guide, Resource element). In
// resource-based policies a shortened ARN without any wildcard matches
// nothing.
type resourcePattern struct {
	raw      string
	all      bool      // "*"
	fields   [][]token // ARN fields (nil for non-ARN patterns)
	plain    []token   // non-ARN pattern
	vars     bool
	wildcard bool    // has * or ?
	static   [][]seg // fields as segments when there are no variables
	staticP  []seg   // plain pattern as segments when there are no variables
}

func compileResource(raw string, vars bool) resourcePattern {
	rp := resourcePattern{raw: raw, all: raw == "*"}
	toks := parseTemplate(raw, vars, true)
	rp.vars = hasVars(toks)
	for _, t := range toks {
		if t.kind == tokStar || t.kind == tokQmark {
			rp.wildcard = true
		}
	}
	if len(toks) > 0 && toks[0].kind == tokLit && len(toks[0].text) >= 4 && strings.EqualFold(toks[0].text[:4], "arn:") {
		rp.fields = splitTokenFields(toks)
	} else {
		rp.plain = toks
	}
	if !rp.vars {
		for _, f := range rp.fields {
			segs, _ := resolve(nil, f, nil)
			rp.static = append(rp.static, segs)
		}
		rp.staticP, _ = resolve(nil, rp.plain, nil)
	}
	return rp
}

// splitTokenFields splits at literal colons into at most 6 fields.
func splitTokenFields(toks []token) [][]token {
	fields := make([][]token, 1, 6)
	for _, t := range toks {
		if t.kind != tokLit {
			fields[len(fields)-1] = append(fields[len(fields)-1], t)
			continue
		}
		text := t.text
		for len(fields) < 6 {
			i := strings.IndexByte(text, ':')
			if i < 0 {
				break
			}
			if i > 0 {
				fields[len(fields)-1] = append(fields[len(fields)-1], token{kind: tokLit, text: text[:i]})
			}
			fields = append(fields, nil)
			text = text[i+1:]
		}
		if text != "" {
			fields[len(fields)-1] = append(fields[len(fields)-1], token{kind: tokLit, text: text})
		}
	}
	return fields
}

// arnFields returns the start offsets of up to 6 colon-separated fields.
func arnFields(s string) (starts [6]int, n int) {
	starts[0] = 0
	n = 1
	for i := 0; i < len(s) && n < 6; i++ {
		if s[i] == ':' {
			starts[n] = i + 1
			n++
		}
	}
	return starts, n
}

// match reports whether s matches. resourcePolicy selects the stricter
// reading of shortened ARNs used for resource-based policies.
func (rp *resourcePattern) match(s string, e *env, resourcePolicy bool) bool {
	m, _ := rp.matchResolved(s, e, resourcePolicy)
	return m
}

// matchResolved is match that also reports whether every policy variable it
// needed resolved (ok false: the pattern matched nothing because of that).
func (rp *resourcePattern) matchResolved(s string, e *env, resourcePolicy bool) (matched, ok bool) {
	if rp.all {
		return true, true
	}
	if rp.fields == nil {
		if !rp.vars {
			return matchSegs(rp.staticP, s, false), true
		}
		var buf [24]seg
		segs, ok := resolve(buf[:0], rp.plain, e)
		return ok && matchSegs(segs, s, false), ok
	}
	starts, n := arnFields(s)
	pn := len(rp.fields)
	if n < 6 && pn != n {
		return false, true // not a full ARN; only an identical shape can match
	}
	if pn < 6 && resourcePolicy && !rp.wildcard {
		return false, true
	}
	// Resolve every field first: an unresolvable variable anywhere makes the
	// pattern match nothing, whatever the other fields say.
	fieldSegs := rp.static
	if rp.vars {
		var resolved [6][]seg
		var bufs [6][8]seg
		for i := 0; i < pn; i++ {
			var ok bool
			if resolved[i], ok = resolve(bufs[i][:0], rp.fields[i], e); !ok {
				return false, false
			}
		}
		fieldSegs = resolved[:pn]
	}
	for i := 0; i < pn; i++ {
		var part string
		if i == n-1 {
			part = s[starts[i]:] // the resource field takes the remainder
		} else {
			part = s[starts[i] : starts[i+1]-1]
		}
		// "arn", partition, service and region are case-insensitive
		// identifiers; account and resource are compared case-sensitively.
		if !matchSegs(fieldSegs[i], part, i <= 3) {
			return false, true
		}
	}
	return true, true
}
