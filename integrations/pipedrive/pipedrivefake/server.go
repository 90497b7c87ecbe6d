// Package pipedrivefake is an in-process Pipedrive (OAuth, API v2 and the v1 calls Dealbooks uses) for tests and the demo.
package pipedrivefake

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a Server. Zero values get the defaults noted.
type Options struct {
	Now          func() time.Time // clock for token expiry, rate-limit windows and timestamps; default time.Now
	Latency      time.Duration    // added before every API answer
	APIToken     string           // the personal API token accepted in x-api-token; default DefaultAPIToken
	ClientID     string           // OAuth app client id; default DefaultClientID
	ClientSecret string           // OAuth app client secret; default DefaultClientSecret
	RedirectURI  string           // when set, authorize and token calls must use exactly this redirect_uri
	AutoApprove  bool             // the authorize page redirects at once, as if the user pressed Approve
	BurstLimit   int              // requests per token per 2-second window; default 80 (search: always 10)
	Dataset      *Dataset         // the company's data; default Generate(SeedOptions{Seed: 1})
}

// Defaults for Options.
const (
	DefaultAPIToken     = "fake-api-token-0123456789abcdef"
	DefaultClientID     = "fake-client-id"
	DefaultClientSecret = "fake-client-secret"
)

// Server is a fake Pipedrive. It is an http.Handler; use it with httptest.NewServer or a real listener.
type Server struct {
	opts Options
	mux  *http.ServeMux

	mu       sync.Mutex
	data     *store
	oauth    oauthState
	faults   []Fault
	log      []Request
	counts   map[string]int
	windows  map[string][]time.Time // rate-limit window per token (and per token for search)
	latency  time.Duration
	rejected int // requests answered 429 by the burst limiter or a fault
	tokens   int // daily-budget tokens spent (tokens.go)
	// tokenUsers are the personal API tokens of users other than Dataset.Me (AddUserToken), by token.
	tokenUsers map[string]int64
	// fieldsDenied: no user may add custom fields; deniedUsers: these users may not (DenyFieldChanges).
	fieldsDenied bool
	deniedUsers  map[int64]bool
}

// maxLog is how many requests the log keeps (the oldest tenth is dropped when full).
const maxLog = 10000

// Request is one entry of the request log.
type Request struct {
	Time    time.Time
	Method  string
	Path    string
	Query   string
	Pattern string // the route that served it, e.g. "GET /api/v2/deals/{id}"
	Status  int
}

// Fault is a scripted failure. It hits requests matching Method and Path prefix ("" matches any), Times
// times (default 1).
type Fault struct {
	Method     string
	Path       string
	Status     int           // answer with this status and a Pipedrive error body (e.g. 429, 500, 503)
	RetryAfter time.Duration // for 429: sent as Retry-After (whole seconds) when non-zero
	Drop       bool          // run the handler (the change is committed), then drop the connection unanswered
	Times      int
}

// New returns a Server.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.APIToken == "" {
		opts.APIToken = DefaultAPIToken
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.BurstLimit == 0 {
		opts.BurstLimit = 80
	}
	if opts.Dataset == nil {
		d := Generate(SeedOptions{Seed: 1})
		opts.Dataset = &d
	}
	s := &Server{
		opts:       opts,
		mux:        http.NewServeMux(),
		data:       newStore(*opts.Dataset),
		oauth:      newOAuthState(),
		counts:     map[string]int{},
		windows:    map[string][]time.Time{},
		latency:    opts.Latency,
		tokenUsers: map[string]int64{},
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /oauth/authorize", s.authorizePage)
	s.mux.HandleFunc("POST /oauth/authorize", s.authorizeDecision)
	s.mux.HandleFunc("POST /oauth/token", s.token)
	s.mux.HandleFunc("POST /oauth/revoke", s.revoke)

	s.api("GET /api/v1/users", s.users)
	s.api("GET /api/v1/users/me", s.usersMe)
	s.api("GET /api/v1/currencies", s.currencies)
	s.api("GET /api/v1/notes", s.listNotes)
	s.api("POST /api/v1/notes", s.createNote)
	s.api("PUT /api/v1/notes/{id}", s.updateNote)
	s.api("GET /api/v1/notes/{id}", s.getNote)

	s.api("GET /api/v2/deals", s.listDeals)
	s.api("GET /api/v2/deals/search", s.searchDeals)
	s.api("GET /api/v2/deals/installments", s.listInstallments)
	s.api("GET /api/v2/deals/products", s.listDealsProducts)
	s.api("GET /api/v2/deals/{id}", s.getDeal)
	s.api("GET /api/v2/deals/{id}/products", s.listDealProducts)
	s.api("GET /api/v2/deals/{id}/discounts", s.listDealDiscounts)
	s.api("GET /api/v2/organizations", s.listOrganizations)
	s.api("GET /api/v2/organizations/{id}", s.getOrganization)
	s.api("GET /api/v2/persons", s.listPersons)
	s.api("GET /api/v2/persons/{id}", s.getPerson)
	s.api("GET /api/v2/products", s.listProducts)
	s.api("GET /api/v2/products/{id}", s.getProduct)
	s.api("GET /api/v2/dealFields", s.listFields(entityDeal))
	s.api("GET /api/v2/organizationFields", s.listFields(entityOrg))
	s.api("GET /api/v2/personFields", s.listFields(entityPerson))
	s.api("POST /api/v2/dealFields", s.createField(entityDeal))
	s.api("POST /api/v2/organizationFields", s.createField(entityOrg))
	s.api("PATCH /api/v2/deals/{id}", s.patchCustomFields(entityDeal))
	s.api("PATCH /api/v2/organizations/{id}", s.patchCustomFields(entityOrg))

	// Anything else under /api (including v1 endpoints Pipedrive removed) is a JSON 404.
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Unknown method .")
	})
}

// api registers an authenticated, rate-limited API route.
func (s *Server) api(pattern string, h http.HandlerFunc) {
	search := strings.HasSuffix(pattern, "/search")
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if d := s.currentLatency(); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		key, ok := s.authenticate(r)
		if !ok {
			writeJSON(w, http.StatusUnauthorized, map[string]any{
				"success": false, "error": "unauthorized access", "errorCode": http.StatusUnauthorized})
			return
		}
		if !s.admit(w, key, search) {
			return
		}
		if f, ok := s.takeFault(r); ok {
			if f.Drop {
				h(discardWriter{header: http.Header{}}, r)
				panic(http.ErrAbortHandler)
			}
			s.writeFault(w, f)
			return
		}
		h(w, r)
	})
}

// ServeHTTP implements http.Handler, logging and counting every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	entry := Request{Time: s.opts.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	defer func() {
		entry.Status, entry.Pattern = rec.status, r.Pattern
		s.mu.Lock()
		if len(s.log) == maxLog {
			s.log = slices.Delete(s.log, 0, maxLog/10)
		}
		s.log = append(s.log, entry)
		s.counts[r.Pattern]++
		if charged(rec.status) {
			s.tokens += TokenCost(r.Pattern)
		}
		s.mu.Unlock()
	}()
	s.mux.ServeHTTP(rec, r)
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// Count is how many requests the route pattern (e.g. "GET /api/v2/deals") has served.
func (s *Server) Count(pattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[pattern]
}

// Rejected is how many requests were answered 429 (burst limit or injected).
func (s *Server) Rejected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected
}

// InjectFault queues a scripted failure.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// SetLatency changes the delay added before every API answer.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) currentLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(r.URL.Path, f.Path) {
			s.faults[i].Times--
			if s.faults[i].Times == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
			if f.Status == http.StatusTooManyRequests {
				s.rejected++
			}
			return f, true
		}
	}
	return Fault{}, false
}

func (s *Server) writeFault(w http.ResponseWriter, f Fault) {
	if f.Status == http.StatusTooManyRequests {
		w.Header().Set("x-ratelimit-limit", strconv.Itoa(s.opts.BurstLimit))
		w.Header().Set("x-ratelimit-remaining", "0")
		w.Header().Set("x-ratelimit-reset", "2")
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		}
		writeError(w, f.Status, "Request over limit")
		return
	}
	writeError(w, f.Status, http.StatusText(f.Status))
}

// admit applies the 2-second burst window of the token (and the search limit), setting the rate-limit
// headers; it answers 429 itself and returns false when the window is full.
func (s *Server) admit(w http.ResponseWriter, key string, search bool) bool {
	limit := s.opts.BurstLimit
	if search {
		key, limit = key+" search", 10
	}
	now := s.opts.Now()
	s.mu.Lock()
	win := s.windows[key]
	for len(win) > 0 && now.Sub(win[0]) >= 2*time.Second {
		win = win[1:]
	}
	full := len(win) >= limit
	if !full {
		win = append(win, now)
	}
	s.windows[key] = win
	reset := 2 * time.Second
	if len(win) > 0 {
		reset = win[0].Add(2 * time.Second).Sub(now)
	}
	if full {
		s.rejected++
	}
	s.mu.Unlock()

	h := w.Header()
	h.Set("x-ratelimit-limit", strconv.Itoa(limit))
	h.Set("x-ratelimit-remaining", strconv.Itoa(max(limit-len(win), 0)))
	h.Set("x-ratelimit-reset", strconv.Itoa(int(math.Ceil(reset.Seconds()))))
	if full {
		writeError(w, http.StatusTooManyRequests, "Request over limit")
	}
	return !full
}

// writeJSON writes v as the JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeData writes a success envelope with an object.
func writeData(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": data})
}

// writeList writes a success envelope with a cursor page.
func writeList(w http.ResponseWriter, data any, next string) {
	var cursor any
	if next != "" {
		cursor = next
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true, "data": data, "additional_data": map[string]any{"next_cursor": cursor}})
}

// writeError writes Pipedrive's error envelope.
func writeError(w http.ResponseWriter, status int, msg string) {
	info := "Please check developers.pipedrive.com"
	if status == http.StatusNotFound {
		info = "Object was not found."
	}
	writeJSON(w, status, map[string]any{
		"success": false, "error": msg, "error_info": info, "data": nil, "additional_data": nil})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// discardWriter swallows the answer of a request whose response is dropped.
type discardWriter struct{ header http.Header }

func (d discardWriter) Header() http.Header         { return d.header }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
