package platform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
)

// Mask replaces every secret the log redaction finds.
const Mask = "[REDACTED]"

// keyPunctuation is what IsSecretKey ignores in a key.
var keyPunctuation = strings.NewReplacer("-", "", "_", "", ".", "")

// IsSecretKey reports whether a value stored under key (an attribute, header, JSON field or query
// parameter name) should never be logged. Case, '-', '_' and '.' are ignored, so "X-Api-Token",
// "api_token" and "APIToken" all match.
func IsSecretKey(key string) bool {
	k := keyPunctuation.Replace(strings.ToLower(key))
	if k == "code" { // the OAuth authorization code
		return true
	}
	for _, word := range []string{"token", "secret", "password", "passwd", "authorization", "apikey", "cookie", "verifier", "credential"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return false
}

var (
	// "access_token": "…" inside JSON text.
	jsonField = regexp.MustCompile(`"([A-Za-z0-9_.\-]{1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"`)
	// access_token=… in a query or form body, Authorization: Bearer … in a header dump,
	// AccessToken:… in a printed struct.
	keyValue = regexp.MustCompile(`([A-Za-z0-9_.\-]{1,64})(\s*[=:]\s*)((?i:bearer|basic)\s+)?("[^"]*"|[^\s&,;?="'<>()\[\]{}]+)`)
	// A bearer token on its own.
	bearer = regexp.MustCompile(`(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*`)
)

// Redact masks the secrets in free text: values of secret-looking JSON fields, query and form
// parameters and headers (see IsSecretKey), and bearer tokens.
func Redact(s string) string {
	s = redactJSONFields(s)
	s = redactKeyValues(s)
	return bearer.ReplaceAllString(s, "$1 "+Mask)
}

// redactJSONFields masks the values of secret JSON fields. A field that is not secret gives up only its key:
// its "value" may really be the opening quote of a secret field that follows, as in `"a":"{"token":"…"}`
// (JSON held in a string whose quotes were not escaped), so the search goes on from the end of the key.
func redactJSONFields(s string) string {
	var b strings.Builder
	for {
		m := jsonField.FindStringSubmatchIndex(s)
		if m == nil {
			b.WriteString(s)
			return b.String()
		}
		key, sep := s[m[2]:m[3]], s[m[4]:m[5]]
		if IsSecretKey(key) {
			b.WriteString(s[:m[0]] + `"` + key + `"` + sep + `"` + Mask + `"`)
			s = s[m[1]:]
			continue
		}
		b.WriteString(s[:m[3]+1]) // through the key's closing quote
		s = s[m[3]+1:]
	}
}

var keyNext = regexp.MustCompile(`^([A-Za-z0-9_.\-]{1,64})\s*[=:]`)

// redactKeyValues masks the values of secret keys in key=value and key: value text.
func redactKeyValues(s string) string {
	var b strings.Builder
	for {
		m := keyValue.FindStringSubmatchIndex(s)
		if m == nil {
			b.WriteString(s)
			return b.String()
		}
		key, sep := s[m[2]:m[3]], s[m[4]:m[5]]
		valueStart := m[8]
		// In "code= x-api-token: abc" the first key's value is really the next key: carry on from there.
		if next := keyNext.FindStringSubmatch(s[valueStart:]); next != nil && IsSecretKey(next[1]) {
			b.WriteString(s[:valueStart])
			s = s[valueStart:]
			continue
		}
		// "code" is only a secret as a parameter (code=…); "status code: 500" is not.
		if IsSecretKey(key) && (!strings.EqualFold(key, "code") || strings.Contains(sep, "=")) {
			b.WriteString(s[:m[2]] + key + sep + Mask)
		} else {
			b.WriteString(s[:m[1]])
		}
		s = s[m[1]:]
	}
}

// redactAttr is a slog ReplaceAttr function: it masks whole values under a secret key or inside a
// secret group, and the secrets inside messages, strings, errors and other values.
func redactAttr(groups []string, a slog.Attr) slog.Attr {
	for _, g := range groups {
		if IsSecretKey(g) {
			return slog.String(a.Key, Mask)
		}
	}
	if a.Key != slog.MessageKey && IsSecretKey(a.Key) {
		return slog.String(a.Key, Mask)
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(a.Value.String()))
	case slog.KindAny:
		return slog.Any(a.Key, redactAny(a.Value.Any()))
	}
	return a
}

// redactAny redacts the text the JSON handler would write for v. Errors and Stringers become their
// redacted text; other values go through JSON and come back as plain maps, slices and strings with
// secret fields masked.
func redactAny(v any) any {
	switch v := v.(type) {
	case error:
		return Redact(v.Error())
	case fmt.Stringer:
		return Redact(v.String())
	case []byte:
		return Redact(string(v))
	}
	data, err := json.Marshal(v)
	if err != nil {
		return Redact(fmt.Sprintf("%+v", v))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return Redact(string(data))
	}
	return redactJSON(generic)
}

func redactJSON(v any) any {
	switch v := v.(type) {
	case string:
		return Redact(v)
	case []any:
		for i := range v {
			v[i] = redactJSON(v[i])
		}
	case map[string]any:
		for key, value := range v {
			if IsSecretKey(key) {
				v[key] = Mask
			} else {
				v[key] = redactJSON(value)
			}
		}
	}
	return v
}
