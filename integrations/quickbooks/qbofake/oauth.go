package qbofake

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Token lifetimes, as QuickBooks documents them.
const (
	codeLifetime    = 10 * time.Minute
	accessLifetime  = time.Hour
	refreshLifetime = 100 * 24 * time.Hour
	// refreshGrace is how long a refresh token stays valid after a newer
	// one has been issued.
	refreshGrace = 24 * time.Hour
)

const accountingScope = "com.intuit.quickbooks.accounting"

type authState struct {
	codes   map[string]*grantCode
	access  map[string]*accessToken
	refresh map[string]*refreshToken
}

type grantCode struct {
	redirectURI string
	challenge   string
	expires     time.Time
}

type accessToken struct {
	grant   string // the grant (one user approval) it belongs to
	expires time.Time
}

type refreshToken struct {
	grant        string
	expires      time.Time
	supersededAt time.Time // zero while it is the newest of its grant
}

func newAuthState() *authState {
	return &authState{codes: map[string]*grantCode{}, access: map[string]*accessToken{}, refresh: map[string]*refreshToken{}}
}

var authorizeTmpl = template.Must(template.New("authorize").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Connect to QuickBooks (fake)</title>
<style>body{font-family:sans-serif;max-width:32em;margin:4em auto}button{font-size:1.1em;margin-right:1em;padding:.4em 1.2em}</style>
</head><body>
<h1>{{.Company}}</h1>
<p>An app wants to connect to your QuickBooks company and read and write its accounting data.</p>
<form method="post" action="/connect/oauth2">
{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{$v}}">
{{end}}<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
`))

// authorizePage checks the authorization request and shows Approve/Deny, or
// approves at once with Options.AutoApprove.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.record(Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Query: q, Status: http.StatusOK})
	if !s.checkAuthorizeRequest(w, q) {
		return
	}
	if s.opts.AutoApprove {
		s.redirectApproved(w, r, q)
		return
	}
	params := map[string]string{}
	for _, k := range []string{"client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"} {
		params[k] = q.Get(k)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = authorizeTmpl.Execute(w, map[string]any{"Company": s.opts.CompanyName, "Params": params})
}

// authorizeDecision handles the Approve/Deny form.
func (s *Server) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	q := r.PostForm
	s.record(Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Status: http.StatusFound})
	if !s.checkAuthorizeRequest(w, q) {
		return
	}
	if q.Get("decision") != "approve" {
		redirect(w, r, q.Get("redirect_uri"), url.Values{"error": {"access_denied"}, "state": {q.Get("state")}})
		return
	}
	s.redirectApproved(w, r, q)
}

func (s *Server) checkAuthorizeRequest(w http.ResponseWriter, q url.Values) bool {
	if q.Get("client_id") != s.opts.ClientID {
		http.Error(w, "invalid client_id", http.StatusBadRequest)
		return false
	}
	ru, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || ru.Scheme != "http" && ru.Scheme != "https" || ru.Host == "" {
		http.Error(w, "invalid redirect_uri", http.StatusBadRequest)
		return false
	}
	if q.Get("response_type") != "code" || q.Get("state") == "" ||
		!strings.Contains(" "+q.Get("scope")+" ", " "+accountingScope+" ") {
		http.Error(w, "response_type=code, state and the accounting scope are required", http.StatusBadRequest)
		return false
	}
	if m := q.Get("code_challenge_method"); q.Get("code_challenge") != "" && m != "S256" {
		http.Error(w, "only code_challenge_method=S256 is supported", http.StatusBadRequest)
		return false
	}
	return true
}

func (s *Server) redirectApproved(w http.ResponseWriter, r *http.Request, q url.Values) {
	code := randomHex(16)
	s.mu.Lock()
	s.auth.codes[code] = &grantCode{redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), expires: s.now().Add(codeLifetime)}
	s.mu.Unlock()
	redirect(w, r, q.Get("redirect_uri"), url.Values{"code": {code}, "state": {q.Get("state")}, "realmId": {s.opts.RealmID}})
}

func redirect(w http.ResponseWriter, r *http.Request, to string, params url.Values) {
	u, _ := url.Parse(to)
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// tokenError answers the token endpoint with an OAuth error.
func tokenError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("intuit_tid", newTID())
	writeJSON(w, status, map[string]string{"error_description": description, "error": code})
}

// clientOK checks HTTP Basic client authentication (client_secret_post is
// accepted too, as Intuit's discovery document advertises it).
func (s *Server) clientOK(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	return subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) == 1
}

// token exchanges an authorization code or a refresh token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	entry := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Query: url.Values{"grant_type": {r.PostForm.Get("grant_type")}}}
	status := http.StatusOK
	defer func() { entry.Status = status; s.record(entry) }()
	if !s.clientOK(r) {
		status = http.StatusUnauthorized
		tokenError(w, status, "invalid_client", "Client authentication failed")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var grant string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := s.auth.codes[r.PostForm.Get("code")]
		delete(s.auth.codes, r.PostForm.Get("code")) // a code works once
		if code == nil || now.After(code.expires) || code.redirectURI != r.PostForm.Get("redirect_uri") ||
			code.challenge != "" && pkceS256(r.PostForm.Get("code_verifier")) != code.challenge {
			status = http.StatusBadRequest
			tokenError(w, status, "invalid_grant", "Token invalid")
			return
		}
		grant = randomHex(8)
	case "refresh_token":
		old := s.auth.refresh[r.PostForm.Get("refresh_token")]
		if old == nil || now.After(old.expires) || !old.supersededAt.IsZero() && now.After(old.supersededAt.Add(refreshGrace)) {
			status = http.StatusBadRequest
			tokenError(w, status, "invalid_grant", "Token invalid")
			return
		}
		grant = old.grant
		for _, rt := range s.auth.refresh {
			if rt.grant == grant && rt.supersededAt.IsZero() {
				rt.supersededAt = now
			}
		}
	default:
		status = http.StatusBadRequest
		tokenError(w, status, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
		return
	}
	tok := s.issue(grant)
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":                 "bearer",
		"expires_in":                 int(accessLifetime / time.Second),
		"refresh_token":              tok.RefreshToken,
		"x_refresh_token_expires_in": int(refreshLifetime / time.Second),
		"access_token":               tok.AccessToken,
	})
}

// issue makes a fresh access and refresh token for grant; the lock is held.
func (s *Server) issue(grant string) *oauth2.Token {
	now := s.now()
	access, refresh := "fake-at-"+randomHex(24), "fake-rt-"+randomHex(24)
	s.auth.access[access] = &accessToken{grant: grant, expires: now.Add(accessLifetime)}
	s.auth.refresh[refresh] = &refreshToken{grant: grant, expires: now.Add(refreshLifetime)}
	return &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "bearer", Expiry: now.Add(accessLifetime)}
}

// IssueTokens returns tokens for a new grant, as if a user had approved the
// app and the code had been exchanged (for tests that skip the browser).
func (s *Server) IssueTokens() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(randomHex(8))
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// revoke revokes a refresh or access token and with it the whole grant.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	status := http.StatusOK
	defer func() { s.record(Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Status: status}) }()
	if !s.clientOK(r) {
		status = http.StatusUnauthorized
		tokenError(w, status, "invalid_client", "Client authentication failed")
		return
	}
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Token == "" {
		status = http.StatusBadRequest
		tokenError(w, status, "invalid_request", "token is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	grant := ""
	if rt := s.auth.refresh[body.Token]; rt != nil {
		grant = rt.grant
	} else if at := s.auth.access[body.Token]; at != nil {
		grant = at.grant
	}
	for k, rt := range s.auth.refresh {
		if rt.grant == grant {
			delete(s.auth.refresh, k)
		}
	}
	for k, at := range s.auth.access {
		if at.grant == grant {
			delete(s.auth.access, k)
		}
	}
	w.WriteHeader(http.StatusOK)
}

// authorized checks the bearer token of an API request.
func (s *Server) authorized(r *http.Request) (detail string, ok bool) {
	h := r.Header.Get("Authorization")
	tok, found := strings.CutPrefix(h, "Bearer ")
	if !found {
		return "Token missing", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.auth.access[tok]
	if at == nil {
		return "Token invalid", false
	}
	if !s.now().Before(at.expires) {
		return "Token expired: " + at.expires.Format(time.RFC3339), false
	}
	return "", true
}
