package pipedrivefake

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Lifetimes Pipedrive documents: authorization codes 5 minutes, access tokens 60 minutes.
const (
	codeLifetime   = 5 * time.Minute
	accessLifetime = time.Hour
)

// Scope granted to every token (the set Dealbooks needs).
const grantedScope = "base,deals:full,contacts:read,users:read"

type oauthState struct {
	codes   map[string]authCode
	access  map[string]accessToken
	refresh map[string]bool
}

type authCode struct {
	redirectURI string
	challenge   string
	expires     time.Time
}

type accessToken struct {
	refresh string
	expires time.Time
}

func newOAuthState() oauthState {
	return oauthState{codes: map[string]authCode{}, access: map[string]accessToken{}, refresh: map[string]bool{}}
}

func randomToken(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// authenticate checks x-api-token or a Bearer access token and returns the key the rate limits count by.
func (s *Server) authenticate(r *http.Request) (string, bool) {
	if tok := r.Header.Get("x-api-token"); tok != "" {
		s.mu.Lock()
		_, other := s.tokenUsers[tok]
		s.mu.Unlock()
		return "api:" + tok, other || subtle.ConstantTimeCompare([]byte(tok), []byte(s.opts.APIToken)) == 1
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	at, found := s.oauth.access[tok]
	if !found || !s.opts.Now().Before(at.expires) {
		return "", false
	}
	return "oauth:" + tok, true
}

// ExpireAccessTokens makes every issued access token invalid, as if an hour had passed.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.oauth.access)
}

var authorizeTemplate = template.Must(template.New("authorize").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Pipedrive (fake): authorize app</title></head>
<body>
<h1>Allow access to {{.Company}}?</h1>
<p>The app <b>{{.ClientID}}</b> asks for access to your Pipedrive data (scopes: {{.Scope}}).</p>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="code_challenge" value="{{.Challenge}}">
<input type="hidden" name="code_challenge_method" value="{{.Method}}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
`))

// authorizeParams validates the client and redirect URI of an authorize request; it answers 400 itself.
func (s *Server) authorizeParams(w http.ResponseWriter, v url.Values) (redirect *url.URL, ok bool) {
	if v.Get("client_id") != s.opts.ClientID {
		http.Error(w, "Invalid client: client is invalid", http.StatusBadRequest)
		return nil, false
	}
	ru := v.Get("redirect_uri")
	u, err := url.Parse(ru)
	if ru == "" || err != nil || !u.IsAbs() || (s.opts.RedirectURI != "" && ru != s.opts.RedirectURI) {
		http.Error(w, "Invalid request: redirect_uri is invalid", http.StatusBadRequest)
		return nil, false
	}
	if m := v.Get("code_challenge_method"); v.Get("code_challenge") != "" && m != "S256" {
		http.Error(w, "Invalid request: code_challenge_method must be S256", http.StatusBadRequest)
		return nil, false
	}
	return u, true
}

func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	redirect, ok := s.authorizeParams(w, v)
	if !ok {
		return
	}
	if s.opts.AutoApprove {
		s.approve(w, r, redirect, v)
		return
	}
	s.mu.Lock()
	company := s.data.Me.CompanyName
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = authorizeTemplate.Execute(w, map[string]string{
		"Company": company, "ClientID": v.Get("client_id"), "Scope": grantedScope,
		"RedirectURI": v.Get("redirect_uri"), "State": v.Get("state"),
		"Challenge": v.Get("code_challenge"), "Method": v.Get("code_challenge_method"),
	})
}

func (s *Server) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Invalid request", http.StatusBadRequest)
		return
	}
	redirect, ok := s.authorizeParams(w, r.PostForm)
	if !ok {
		return
	}
	if r.PostForm.Get("decision") != "approve" {
		q := redirect.Query()
		q.Set("error", "access_denied")
		if st := r.PostForm.Get("state"); st != "" {
			q.Set("state", st)
		}
		redirect.RawQuery = q.Encode()
		http.Redirect(w, r, redirect.String(), http.StatusFound)
		return
	}
	s.approve(w, r, redirect, r.PostForm)
}

// approve issues an authorization code and sends the browser back to the app.
func (s *Server) approve(w http.ResponseWriter, r *http.Request, redirect *url.URL, v url.Values) {
	code := randomToken("", 20)
	s.mu.Lock()
	s.oauth.codes[code] = authCode{
		redirectURI: v.Get("redirect_uri"), challenge: v.Get("code_challenge"),
		expires: s.opts.Now().Add(codeLifetime),
	}
	s.mu.Unlock()
	q := redirect.Query()
	q.Set("code", code)
	if st := v.Get("state"); st != "" {
		q.Set("state", st)
	}
	redirect.RawQuery = q.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// oauthError writes the token endpoint's error body.
func oauthError(w http.ResponseWriter, code, message string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"success": false, "message": message, "error": code})
}

// clientAuthOK checks HTTP Basic client authentication.
func (s *Server) clientAuthOK(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	return ok && id == s.opts.ClientID &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) == 1
}

func formRequest(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/x-www-form-urlencoded" && r.ParseForm() == nil
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if !formRequest(r) {
		oauthError(w, "invalid_request", "Invalid request: content must be application/x-www-form-urlencoded")
		return
	}
	if !s.clientAuthOK(r) {
		oauthError(w, "invalid_client", "Invalid client: client is invalid")
		return
	}
	f := r.PostForm
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var refresh string
	switch f.Get("grant_type") {
	case "":
		oauthError(w, "invalid_request", "Missing parameter: grant_type")
		return
	case "authorization_code":
		c, ok := s.oauth.codes[f.Get("code")]
		delete(s.oauth.codes, f.Get("code"))
		switch {
		case !ok:
			oauthError(w, "invalid_grant", "Invalid grant: authorization_code is invalid")
			return
		case !now.Before(c.expires):
			oauthError(w, "invalid_grant", "Invalid grant: authorization_code has expired")
			return
		case f.Get("redirect_uri") != c.redirectURI:
			oauthError(w, "invalid_request", "Invalid request: redirect_uri is invalid")
			return
		case c.challenge != "" && !pkceOK(c.challenge, f.Get("code_verifier")):
			oauthError(w, "invalid_grant", "Invalid grant: code_verifier is invalid")
			return
		}
		refresh = randomToken("1:1:", 20)
		s.oauth.refresh[refresh] = true
	case "refresh_token":
		refresh = f.Get("refresh_token")
		if !s.oauth.refresh[refresh] {
			oauthError(w, "invalid_grant", "Invalid grant: refresh_token is invalid")
			return
		}
	default:
		oauthError(w, "unsupported_grant_type", "Unsupported grant type")
		return
	}
	access := randomToken("v1u:", 32)
	s.oauth.access[access] = accessToken{refresh: refresh, expires: now.Add(accessLifetime)}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": int(accessLifetime.Seconds()) - 1,
		"refresh_token": refresh, "scope": grantedScope, "api_domain": scheme + "://" + r.Host,
	})
}

func pkceOK(challenge, verifier string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return verifier != "" && base64.RawURLEncoding.EncodeToString(sum[:]) == challenge
}

// revoke implements RFC 7009: a refresh token removes the whole grant, an access token only itself.
// It answers 200 even for unknown tokens.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	if !formRequest(r) {
		oauthError(w, "invalid_request", "Invalid request: content must be application/x-www-form-urlencoded")
		return
	}
	if !s.clientAuthOK(r) {
		oauthError(w, "invalid_client", "Invalid client: client is invalid")
		return
	}
	tok := r.PostForm.Get("token")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oauth.refresh[tok] {
		delete(s.oauth.refresh, tok)
		for a, at := range s.oauth.access {
			if at.refresh == tok {
				delete(s.oauth.access, a)
			}
		}
	}
	delete(s.oauth.access, tok)
	w.WriteHeader(http.StatusOK)
}
