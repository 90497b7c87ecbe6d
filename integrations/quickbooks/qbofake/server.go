// Package qbofake is an in-memory QuickBooks Online that speaks the real wire format and enforces its rules.
package qbofake

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultRealmID      = "9341453050298464"
	DefaultClientID     = "fake-client-id"
	DefaultClientSecret = "fake-client-secret"
)

// QuickBooks' limits per realm, which the fake enforces with 429.
const (
	maxInFlight  = 10
	maxPerMinute = 500
)

// Options configure a Server. The zero value gives a US company in USD.
type Options struct {
	RealmID      string
	ClientID     string
	ClientSecret string
	// AutoApprove makes the authorize page redirect at once, as if the user
	// had pressed Approve.
	AutoApprove bool
	// Now is the clock for token lifetimes, CDC, MetaData and dates.
	Now         func() time.Time
	CompanyName string
	// Country is "US" (sales tax: lines TAX/NON) or another ISO code
	// (VAT-style tax: a TaxCode on every line).
	Country          string
	HomeCurrency     string
	MultiCurrency    bool
	CustomTxnNumbers bool
	// Unlimited lifts the 500 requests per minute limit (for benchmarks).
	Unlimited bool
}

// Failure is a kind of scripted failure.
type Failure int

// Scripted failures.
const (
	// Throttle answers 429 Too Many Requests.
	Throttle Failure = iota + 1
	// ServerError answers 503 with a SystemFault.
	ServerError
	// DropResponse does the work (the write is committed and its requestid
	// remembered) and then aborts the connection without an answer.
	DropResponse
)

// Script makes the next Times API requests whose "METHOD /path" (path below
// /v3/company/{realmId}) contains Match fail with Failure.
type Script struct {
	Failure    Failure
	Times      int
	Match      string
	RetryAfter time.Duration // Throttle: sent as Retry-After when set
}

// MinorVersion is the API minor version the fake serves. Since 2025-08-01
// QuickBooks ignores minor versions 1–74 and a missing one, and answers
// those requests as 75; so does the fake.
const MinorVersion = 75

// Request is one entry of the request log.
type Request struct {
	Time      time.Time
	Method    string
	Path      string // below /v3/company/{realmId}, or the OAuth path
	Query     url.Values
	RequestID string
	// MinorVersion is the API request's minorversion parameter as sent
	// ("" when missing).
	MinorVersion string
	// MinorVersionIgnored marks an API request whose minorversion was
	// missing, not a number or below 75: it was answered as 75.
	MinorVersionIgnored bool
	Status              int
	Replayed            bool // answered from the requestid record
	Dropped             bool // committed, then the connection was aborted
}

// Server is the fake QuickBooks, for tests and the demo workspace. It is an http.Handler: serve it with
// httptest.NewServer in tests, or with http.Serve on a 127.0.0.1 listener for the demo, and point the
// client's BaseURL and the OAuth endpoints at that address. All state is in memory.
type Server struct {
	opts Options
	mux  *http.ServeMux // OAuth, the web app, and /v3/company/{realm}/… to api
	ops  *http.ServeMux // the API operations, by path below /v3/company/{realm}

	mu       sync.Mutex
	co       *company
	auth     *authState
	scripts  []Script
	latency  time.Duration
	log      []Request
	replies  map[string]*reply // by requestid
	inFlight int
	started  []time.Time // API request starts in the last minute
}

// reply is a stored answer to a write, replayed for its requestid.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// New returns a fake with a minimal company: company info, preferences, a
// default "Services" item, payment terms and tax codes for its country.
func New(opts Options) *Server {
	if opts.RealmID == "" {
		opts.RealmID = DefaultRealmID
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Country == "" {
		opts.Country = "US"
	}
	if opts.HomeCurrency == "" {
		opts.HomeCurrency = "USD"
		if opts.Country != "US" {
			opts.HomeCurrency = "EUR"
		}
	}
	if opts.CompanyName == "" {
		opts.CompanyName = "Sandbox Company_" + opts.Country
	}
	s := &Server{opts: opts, co: newCompany(opts), auth: newAuthState(), replies: map[string]*reply{}}
	s.co.seedBasics()
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /connect/oauth2", s.authorizePage)
	s.mux.HandleFunc("POST /connect/oauth2", s.authorizeDecision)
	s.mux.HandleFunc("POST /oauth2/v1/tokens/bearer", s.token)
	s.mux.HandleFunc("POST /v2/oauth2/tokens/revoke", s.revoke)
	s.mux.HandleFunc("GET /app/invoice", s.appInvoice)
	s.mux.HandleFunc("/v3/company/{realm}/", s.api)
	s.ops = s.apiRoutes()
	return s
}

// ServeHTTP serves OAuth, the API and the web-app invoice page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// RealmID returns the company id.
func (s *Server) RealmID() string { return s.opts.RealmID }

// ClientID returns the OAuth client id the fake accepts.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret returns the OAuth client secret the fake accepts.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

func (s *Server) now() time.Time { return s.opts.Now() }

// Inject queues a scripted failure.
func (s *Server) Inject(sc Script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts = append(s.scripts, sc)
}

// SetLatency delays every API answer by d (real time).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

func (s *Server) record(e Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, e)
}

// nextFailure takes the first script that matches op, if any.
func (s *Server) nextFailure(op string) *Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.scripts {
		sc := &s.scripts[i]
		if sc.Times > 0 && strings.Contains(op, sc.Match) {
			sc.Times--
			taken := *sc
			return &taken
		}
	}
	return nil
}

// admit counts a request against the realm's limits; false means 429.
func (s *Server) admit() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inFlight >= maxInFlight {
		return false
	}
	now := s.now()
	if !s.opts.Unlimited {
		cut := 0
		for cut < len(s.started) && now.Sub(s.started[cut]) >= time.Minute {
			cut++
		}
		s.started = s.started[cut:]
		if len(s.started) >= maxPerMinute {
			return false
		}
		s.started = append(s.started, now)
	}
	s.inFlight++
	return true
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
}

func (s *Server) wait(ctx context.Context) {
	s.mu.Lock()
	d := s.latency
	s.mu.Unlock()
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func newTID() string { return "1-" + randomHex(4) + "-" + randomHex(12) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// api serves /v3/company/{realmId}/…: limits, scripted failures, auth,
// requestid replay, then the operation.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	realm := r.PathValue("realm")
	path := strings.TrimPrefix(r.URL.Path, "/v3/company/"+realm)
	q := r.URL.Query()
	entry := Request{Time: s.now(), Method: r.Method, Path: path, Query: q, RequestID: q.Get("requestid"),
		MinorVersion: q.Get("minorversion"), MinorVersionIgnored: minorVersionIgnored(q.Get("minorversion"))}
	w.Header().Set("intuit_tid", newTID())
	if !s.admit() {
		entry.Status = http.StatusTooManyRequests
		s.record(entry)
		writeThrottled(w, 0)
		return
	}
	s.wait(r.Context())

	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	sc := s.nextFailure(r.Method + " " + path)
	switch {
	case sc != nil && sc.Failure == Throttle:
		writeThrottled(rec, sc.RetryAfter)
	case sc != nil && sc.Failure == ServerError:
		f := errSystem("the service is temporarily unavailable")
		f.status = http.StatusServiceUnavailable
		writeFault(rec, s.now(), f)
	default:
		entry.Replayed = s.serveAPI(rec, r, realm, path, entry.RequestID)
	}
	// Leave before answering: a client that has the answer may send its
	// next request at once, and must find the slot free.
	s.leave()
	entry.Status = rec.status
	entry.Dropped = sc != nil && sc.Failure == DropResponse
	s.record(entry)
	if entry.Dropped {
		panic(http.ErrAbortHandler)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

// minorVersionIgnored reports whether QuickBooks ignores the minorversion
// parameter v and answers as MinorVersion instead.
func minorVersionIgnored(v string) bool {
	n, err := strconv.Atoi(v)
	return err != nil || n < MinorVersion
}

func writeThrottled(w http.ResponseWriter, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconvSeconds(retryAfter))
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"Fault": map[string]any{
			"Error": []wireError{{Message: "message=ThrottleExceeded; errorCode=003001; statusCode=429",
				Detail: "The request limit was reached.", Code: "3001"}},
			"type": "SERVICE",
		},
	})
}

// serveAPI authenticates and runs the operation, answering a repeated
// requestid from the record. It reports whether the answer was replayed.
func (s *Server) serveAPI(w *recorder, r *http.Request, realm, path, requestID string) bool {
	if detail, ok := s.authorized(r); !ok {
		writeAuthFault(w, s.now(), detail)
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if realm != s.opts.RealmID {
		f := validation("3100", "ApplicationAuthorizationFailed", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", "")
		f.status, f.typ = http.StatusForbidden, "AuthorizationFault"
		writeFault(w, s.now(), f)
		return false
	}
	if r.Method == http.MethodPost && requestID != "" {
		if rep, ok := s.replies[requestID]; ok {
			for k, v := range rep.header {
				w.header[k] = v
			}
			w.WriteHeader(rep.status)
			_, _ = w.Write(rep.body)
			return true
		}
	}
	s.route(w, r, path)
	if r.Method == http.MethodPost && requestID != "" {
		s.replies[requestID] = &reply{status: w.status, header: w.header.Clone(), body: bytes.Clone(w.body.Bytes())}
	}
	return false
}

// recorder holds an answer until the fake decides to send or drop it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(status int)      { r.status = status }
