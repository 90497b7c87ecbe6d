package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// maxCandidates is how many possible QuickBooks customers the editor offers to link.
const maxCandidates = 5

// invoiceEditor is the invoice being prepared for one deal. The draft is the model: every edit updates it and
// the totals at once, and no failure ever replaces what the rep typed.
type invoiceEditor struct {
	m         *MainWindow
	deal      invoicing.Deal
	content   *fyne.Container // the loading message, then the form
	form      fyne.CanvasObject
	onCreated func()
	// onCustomerShown, when set, runs each time the customer part changes, so the deal view's link shows too.
	onCustomerShown func()

	draft      invoicing.Draft
	company    invoicing.Company
	matches    []invoicing.CustomerMatch
	items      []invoicing.Item    // QuickBooks' items, none when offline
	taxCodes   []invoicing.TaxCode // QuickBooks' tax codes, none when offline
	termList   []invoicing.Term    // QuickBooks' payment terms, nil when offline
	linkedName string              // the linked QuickBooks customer's name, when known
	createNew  bool                // the rep chose a new QuickBooks customer over the candidates
	filling    bool                // fill is putting a new draft into the form
	checked    bool                // the rep tried to create once: every problem is shown, not only those of touched fields
	touched    map[string]bool     // the field paths the rep has edited; their problems show as the rep types
	issues     []invoicing.Issue   // what Create would refuse in the draft as typed
	// defaultItem is the preferences' default QuickBooks item, which Create puts on lines that name none;
	// itemKnown is false when the preferences could not be read, and the item rule is then left to Create.
	defaultItem string
	itemKnown   bool
	badInput    map[string]string         // fields whose text is not a number or date, with the message
	invoiced    invoicing.AlreadyInvoiced // the deal's invoices so far; Create asks before another

	invoicedLabel *widget.Label // what the deal already has, above the form

	status                    *widget.Label   // loading, or why loading failed
	restored                  *fyne.Container // says the draft is the one the rep left, with Start again
	offline                   *fyne.Container // says what the draft lacks, built offline, with Retry (offline.go)
	offlineText               *widget.Label
	to, address, email, taxID *textField
	update                    *widget.Check
	customer                  *fyne.Container // the linked customer, or the candidates to link
	currency, issueDate       *textField
	dueDate, number           *textField
	terms                     *widget.Select // "None", then QuickBooks' terms
	memo, customerMemo        *textField
	linesBox                  *fyne.Container
	discountsBox              *fyne.Container // the discounts on the whole deal
	lines                     []*lineRow
	addLine                   *widget.Button
	subtotal, discount        *widget.Label
	tax, total                *widget.Label
	warnings                  *widget.Label
	reconcile                 *reconcileView           // the invoice held against the deal
	problems                  map[string]*widget.Label // inline messages by field path
	general                   *widget.Label            // messages for fields without a place of their own
	discountFields            []*textField             // the value of each deal discount, in order
	scroll                    *container.Scroll        // the form, scrolled to a field at fault on Create
	create                    *widget.Button
}

func newInvoiceEditor(m *MainWindow, d invoicing.Deal, onCreated func()) *invoiceEditor {
	e := &invoiceEditor{m: m, deal: d, onCreated: onCreated, badInput: map[string]string{},
		problems: map[string]*widget.Label{}, touched: map[string]bool{}}
	e.status = widget.NewLabel(lang.X("editor.loading", "Reading the deal from Pipedrive…"))
	e.status.Wrapping = fyne.TextWrapWord
	e.form = e.build()
	e.content = container.NewStack(container.NewVBox(e.status))
	e.load()
	return e
}

// build lays out the form; fill puts a draft's values in it.
func (e *invoiceEditor) build() fyne.CanvasObject {
	e.to = e.entry("customer.to", func(s string) { e.draft.Customer.To = s })
	e.address = e.entry("customer.address", func(s string) { e.draft.Customer.Address = s })
	e.address.MultiLine = true
	growRows(e.address, 2)
	e.email = e.entry("customer.email", func(s string) { e.draft.Customer.Email = strings.TrimSpace(s) })
	e.taxID = e.entry("customer.tax_id", func(s string) { e.draft.Customer.TaxID = s })
	e.update = widget.NewCheck(lang.X("editor.update_customer", "Update customer info in QuickBooks"), func(on bool) {
		e.draft.Customer.UpdateInQuickBooks = on
	})
	e.customer = container.NewVBox()
	customer := container.NewVBox(
		widget.NewForm(
			widget.NewFormItem(lang.X("editor.to", "To"), e.withProblem(e.to, "customer.to")),
			widget.NewFormItem(lang.X("editor.address", "Address"), e.address),
			widget.NewFormItem(lang.X("editor.email", "Email"), e.withProblem(e.email, "customer.email")),
			widget.NewFormItem(lang.X("editor.tax_id", "Tax ID"), e.taxID),
		),
		e.customer, e.problem("customer"), e.update,
	)

	e.currency = e.entry("currency", func(s string) { e.draft.Currency = strings.ToUpper(strings.TrimSpace(s)) })
	e.issueDate = e.entry("issue_date", func(s string) {
		e.touch("due_date") // the due date is judged against the issue date
		e.draft.IssueDate = e.parseDate("issue_date", s)
		e.applyTerm()
	})
	e.issueDate.SetPlaceHolder(lang.X("editor.date.hint", "YYYY-MM-DD"))
	e.dueDate = e.entry("due_date", func(s string) { e.draft.DueDate = e.parseDate("due_date", s) })
	e.dueDate.SetPlaceHolder(lang.X("editor.date.hint", "YYYY-MM-DD"))
	e.terms = widget.NewSelect(nil, e.onTerm)
	e.number = e.entry("invoice_number", func(s string) { e.draft.InvoiceNumber = strings.TrimSpace(s) })
	e.number.SetPlaceHolder(lang.X("editor.number.auto", "QuickBooks numbers it"))
	e.memo = e.entry("memo", func(s string) { e.draft.Memo = s })
	e.customerMemo = e.entry("customer_memo", func(s string) { e.draft.CustomerMemo = s })
	e.customerMemo.MultiLine = true
	growRows(e.customerMemo, 3)
	details := widget.NewForm(
		widget.NewFormItem(lang.X("editor.currency", "Currency"), e.withProblem(e.currency, "currency")),
		widget.NewFormItem(lang.X("editor.issue_date", "Issue date"), e.withProblem(e.issueDate, "issue_date")),
		widget.NewFormItem(lang.X("editor.due_date", "Due date"), e.withProblem(e.dueDate, "due_date")),
		widget.NewFormItem(lang.X("editor.terms", "Terms"), e.withProblem(wideSelect(e.terms), "terms")),
		widget.NewFormItem(lang.X("editor.number", "Invoice number"), e.withProblem(e.number, "invoice_number")),
		widget.NewFormItem(lang.X("editor.memo", "Memo"), e.withProblem(e.memo, "memo")),
		widget.NewFormItem(lang.X("editor.customer_memo", "Message to the customer"), e.withProblem(e.customerMemo, "customer_memo")),
	)

	e.linesBox = container.NewVBox()
	e.addLine = widget.NewButtonWithIcon(lang.X("editor.add_line", "Add line"), theme.ContentAddIcon(), e.onAddLine)
	e.general = problemLabel()
	e.discountsBox = container.NewVBox()
	items := container.NewVBox(lineHeader(), e.linesBox, container.NewHBox(e.addLine), e.discountsBox, e.general)

	e.subtotal = amountLabel()
	e.discount = amountLabel()
	e.tax = amountLabel()
	e.total = label(&widget.Label{Alignment: fyne.TextAlignTrailing, TextStyle: fyne.TextStyle{Bold: true}})
	totals := widget.NewForm(
		widget.NewFormItem(lang.X("editor.subtotal", "Subtotal"), e.subtotal),
		widget.NewFormItem(lang.X("editor.discount", "Discount"), e.discount),
		widget.NewFormItem(lang.X("editor.tax", "Tax"), e.tax),
	)
	e.warnings = label(&widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord})
	e.warnings.Hide()
	e.reconcile = newReconcileView()
	note := widget.NewLabel(lang.X("editor.pdf_note", "QuickBooks makes the PDF in the company's default invoice style; it cannot use a custom template."))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	e.create = &widget.Button{Text: lang.X("editor.create", "Create invoice"), Icon: theme.ConfirmIcon(),
		Importance: widget.HighImportance, OnTapped: e.onCreate}

	e.restored = container.NewHBox(
		widget.NewLabel(lang.X("editor.restored", "This is the draft you left unfinished.")),
		widget.NewButton(lang.X("editor.start_again", "Start again from the deal"), e.onStartAgain))
	e.restored.Hide()
	e.newOfflineNotice()

	e.invoicedLabel = newInvoicedLabel()
	e.scroll = formScroll(container.NewVBox(
		e.invoicedLabel,
		e.restored,
		e.offline,
		widget.NewCard(lang.X("editor.customer", "Customer"), "", customer),
		widget.NewCard(lang.X("editor.details", "Invoice details"), "", details),
		widget.NewCard(lang.X("editor.items", "Items"), "", items),
		container.NewBorder(nil, nil, nil, totals),
		e.reconcile.label, e.warnings, note,
	))
	// The total and Create stay in view below the form, however far the rep has scrolled.
	totalCaption := widget.NewLabelWithStyle(lang.X("editor.total", "Total"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	footer := container.NewVBox(widget.NewSeparator(),
		container.NewHBox(layout.NewSpacer(), totalCaption, e.total, withTip(e.m.tips, e.create, shortcutText(keyCreate))))
	return container.NewBorder(nil, footer, nil, nil, e.scroll)
}

// entry returns an entry that writes its text into the draft and recomputes the totals as the rep types; from
// the first edit on, the problems of field (its path in the draft, as Validate names it) show under it.
func (e *invoiceEditor) entry(field string, set func(string)) *textField {
	en := newField(e.m)
	en.OnChanged = func(s string) {
		e.touch(field)
		set(s)
		e.changed()
	}
	return en
}

// touch marks fields as edited by the rep, so their problems show from now on. Filling the form touches none.
func (e *invoiceEditor) touch(fields ...string) {
	if e.filling {
		return
	}
	for _, f := range fields {
		e.touched[f] = true
	}
}

// withProblem puts the inline message of field under o.
func (e *invoiceEditor) withProblem(o fyne.CanvasObject, field string) fyne.CanvasObject {
	return container.NewVBox(o, e.problem(field))
}

// problem returns the inline message label of field, hidden while there is nothing to say.
func (e *invoiceEditor) problem(field string) *widget.Label {
	l := problemLabel()
	e.problems[field] = l
	return l
}

func problemLabel() *widget.Label {
	l := label(&widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord})
	l.Hide()
	return l
}

// label finishes a label written as a struct literal, so that it lays itself out even when it is sized
// before it is first drawn, as the rows of a list are.
func label(l *widget.Label) *widget.Label {
	l.ExtendBaseWidget(l)
	return l
}

func amountLabel() *widget.Label { return label(&widget.Label{Alignment: fyne.TextAlignTrailing}) }

func columnTitle(text string) *widget.Label {
	return label(&widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis})
}

// load shows the draft the rep left unfinished for this deal, or else builds one from the deal, off the UI
// goroutine.
func (e *invoiceEditor) load() {
	svc, prefs := e.m.deps.Invoicing, e.m.deps.Preferences
	dealID, deal := e.deal.ID, e.deal
	call(e.m.bg, networkCall, func(ctx context.Context) (editorStart, error) {
		return startEditor(ctx, svc, prefs, deal)
	}, func(st editorStart, err error) {
		if err != nil {
			e.m.deps.Log.Error("build draft", "deal", dealID, "err", err)
			e.showLoadFailed(err)
			return
		}
		if st.companyErr != nil {
			// Validation then skips the company's currency rule; QuickBooks still checks it.
			e.m.deps.Log.Warn("read QuickBooks company", "err", st.companyErr)
		}
		e.company, e.items, e.taxCodes, e.termList = st.company, st.items, st.taxCodes, st.terms
		e.defaultItem, e.itemKnown = st.defaultItem, st.itemKnown
		e.fill(st.built)
		e.showInvoiced(st.built.Invoiced)
		if st.linkedName != "" {
			e.linkedName = st.linkedName
			e.showCustomer()
		}
		e.restored.Hidden = !st.restored
		e.restored.Refresh()
		e.showOffline(st.built)
		e.content.Objects = []fyne.CanvasObject{e.form}
		e.content.Refresh()
	})
}

// editorStart is what the editor opens with: the draft, and QuickBooks' company and reference lists.
type editorStart struct {
	built      invoicing.BuiltDraft
	restored   bool // built is the draft the rep left unfinished
	company    invoicing.Company
	companyErr error
	items      []invoicing.Item
	taxCodes   []invoicing.TaxCode
	terms      []invoicing.Term
	linkedName string // the name of the QuickBooks customer the draft is linked to, when found
	// defaultItem is the preferences' default item; itemKnown says the preferences were read.
	defaultItem string
	itemKnown   bool
}

// startEditor reads the draft the rep left for the deal, or builds one, and QuickBooks' lists. Only a draft
// that cannot be read or built is an error.
func startEditor(ctx context.Context, svc Invoicing, prefs PreferenceService, deal invoicing.Deal) (st editorStart, err error) {
	st.built, st.restored, err = restoreDraft(ctx, svc, deal.ID)
	if err == nil && !st.restored {
		st.built, err = svc.BuildDraft(ctx, deal.ID)
	}
	if err == nil {
		st.built.Invoiced, err = svc.AlreadyInvoiced(ctx, deal)
	}
	st.company, st.companyErr = svc.Company(ctx)
	// Offline these are empty; the lines then keep the items and tax codes the draft already has.
	st.items, _ = svc.Items(ctx)
	st.taxCodes, _ = svc.TaxCodes(ctx)
	st.linkedName = linkedName(ctx, svc, st.built.Draft)
	if prefs != nil {
		// Local, so known offline too; Create puts this item on the lines that name none.
		if p, perr := prefs.Preferences(ctx); perr == nil {
			st.defaultItem, st.itemKnown = p.DefaultItemID, true
		}
	}
	terms, terr := svc.Terms(ctx)
	if terr == nil {
		st.terms = terms // when not known, the draft's term is kept and QuickBooks checks it
	}
	return st, err
}

// linkedName finds the name of the QuickBooks customer d is linked to: among the customers QuickBooks finds for
// the draft, else on the invoices already made for it; "" when neither names it (offline, say).
func linkedName(ctx context.Context, svc Invoicing, d invoicing.Draft) string {
	id := d.Customer.LinkedID
	if id == "" {
		return ""
	}
	unlinked := d
	unlinked.Customer.LinkedID, unlinked.Customer.LinkedCurrency = "", ""
	if matches, err := svc.CustomerMatches(ctx, unlinked); err == nil {
		for _, cm := range matches {
			if cm.Customer.ID == id {
				return cm.Customer.DisplayName
			}
		}
	}
	if h, err := svc.History(ctx, invoicing.HistoryQuery{}); err == nil {
		for _, it := range h.Items {
			if it.Invoice.CustomerID == id && it.Invoice.CustomerName != "" {
				return it.Invoice.CustomerName
			}
		}
	}
	return ""
}

// linkedText says which QuickBooks customer the deal is linked to, by name when known.
func linkedText(name string) string {
	if name == "" {
		return lang.X("editor.linked.unnamed", "Linked to a QuickBooks customer")
	}
	return lang.X("editor.linked", "Linked to QuickBooks customer {{.Name}}", map[string]any{"Name": name})
}

// restoreDraft reads the draft saved for the deal, with the customers it could be linked to; restored is false
// when there is none.
func restoreDraft(ctx context.Context, svc Invoicing, dealID int64) (b invoicing.BuiltDraft, restored bool, err error) {
	d, err := svc.SavedDraft(ctx, dealID)
	switch {
	case errors.Is(err, invoicing.ErrNotFound):
		return b, false, nil
	case err != nil:
		return b, false, err
	}
	b.Draft = d
	if d.Customer.LinkedID == "" {
		// Offline there are no candidates to offer; the customer is then created new, or linked later.
		b.Matches, _ = svc.CustomerMatches(ctx, d)
	}
	return b, true, nil
}

// onStartAgain replaces the restored draft with a fresh one built from the deal.
func (e *invoiceEditor) onStartAgain() {
	svc := e.m.deps.Invoicing
	dealID := e.deal.ID
	build := func(ctx context.Context) (invoicing.BuiltDraft, error) { return svc.BuildDraft(ctx, dealID) }
	call(e.m.bg, networkCall, build, orProblem(e.m, "build draft", func(built invoicing.BuiltDraft) {
		e.fill(built)
		e.restored.Hide()
	}))
}

// save keeps the draft as typed in the database, so leaving the deal or closing the app loses nothing.
func (e *invoiceEditor) save() { e.saveThen(nil) }

// saveThen keeps the draft as it stands, off the UI goroutine, then runs then (if not nil) on the UI goroutine.
func (e *invoiceEditor) saveThen(then func()) {
	if e.content.Objects[0] != e.form {
		if then != nil {
			then()
		}
		return // nothing loaded, nothing typed
	}
	svc, draft := e.m.deps.Invoicing, e.draft
	draft.Lines = slices.Clone(e.draft.Lines)
	var done func(error)
	if then != nil {
		done = func(error) { then() }
	}
	e.m.bg.do(localCall, func(ctx context.Context) error {
		if err := svc.SaveDraft(ctx, draft); err != nil {
			e.m.deps.Log.Error("save draft", "deal", draft.DealID, "err", err)
		}
		return nil
	}, done)
}

// fill shows a freshly built draft.
func (e *invoiceEditor) fill(b invoicing.BuiltDraft) {
	e.draft = b.Draft
	e.matches = b.Matches
	e.linkedName, e.createNew, e.checked, e.issues = "", false, false, nil
	clear(e.badInput)
	clear(e.touched)
	e.filling = true
	c := e.draft.Customer
	e.to.SetText(c.To)
	e.address.SetText(noTabs(c.Address)) // a tab typed before fields moved on with Tab
	e.email.SetText(c.Email)
	e.taxID.SetText(c.TaxID)
	e.update.SetChecked(c.UpdateInQuickBooks)
	e.currency.SetText(e.draft.Currency)
	e.issueDate.SetText(e.draft.IssueDate.String())
	e.dueDate.SetText(e.draft.DueDate.String())
	e.showTerms()
	e.number.SetText(e.draft.InvoiceNumber)
	e.memo.SetText(e.draft.Memo)
	e.customerMemo.SetText(noTabs(e.draft.CustomerMemo))
	e.lines = nil
	e.linesBox.RemoveAll()
	for i := range e.draft.Lines {
		e.appendRow(e.draft.Lines[i])
	}
	e.showDealDiscounts()
	e.filling = false
	e.showCustomer()
	e.changed()
}

// showTerms offers "None" and QuickBooks' payment terms, and shows the draft's. A term QuickBooks did not list
// (offline, or since removed there) is shown by its number.
func (e *invoiceEditor) showTerms() {
	options := []string{lang.X("editor.terms.none", "None")}
	chosen := -1
	if e.draft.Terms == "" {
		chosen = 0
	}
	for i, t := range e.termList {
		options = append(options, t.Name)
		if t.ID == e.draft.Terms {
			chosen = i + 1
		}
	}
	e.terms.Options = options
	if chosen < 0 {
		e.terms.PlaceHolder = lang.X("editor.terms.id", "QuickBooks terms no. {{.ID}}", map[string]any{"ID": e.draft.Terms})
		e.terms.ClearSelected()
		return
	}
	e.terms.SetSelectedIndex(chosen)
}

// onTerm puts the chosen term into the draft and, for a term of a fixed number of days, sets the due date from
// the issue date. "None" leaves the due date as it is.
func (e *invoiceEditor) onTerm(string) {
	if e.filling {
		return
	}
	i := e.terms.SelectedIndex()
	if i < 0 {
		return // the placeholder of a term QuickBooks did not list
	}
	e.draft.Terms = ""
	if i > 0 {
		e.draft.Terms = e.termList[i-1].ID
	}
	e.touch("terms")
	e.applyTerm()
	e.changed()
}

// applyTerm sets the due date the chosen term gives the issue date, when the term is a fixed number of days.
func (e *invoiceEditor) applyTerm() {
	i := e.terms.SelectedIndex()
	if e.filling || i <= 0 {
		return
	}
	if due, ok := e.termList[i-1].DueDate(e.draft.IssueDate); ok && due != e.draft.DueDate {
		e.dueDate.SetText(due.String())
	}
}

// parseDate reads a date field; a text that is no date leaves the date empty and says so under the field.
func (e *invoiceEditor) parseDate(field, text string) invoicing.Date {
	delete(e.badInput, field)
	text = strings.TrimSpace(text)
	if text == "" {
		return invoicing.Date{}
	}
	d, err := invoicing.ParseDate(text)
	if err != nil {
		e.badInput[field] = lang.X("editor.problem.date", "Enter the date as YYYY-MM-DD, for example 2026-03-13.")
	}
	return d
}

// changed recomputes the totals, the line amounts and the warnings, and checks the draft as typed with Create's
// own rules; showProblems shows what concerns the fields the rep touched, or everything after a Create.
func (e *invoiceEditor) changed() {
	if e.filling {
		return
	}
	t := invoicing.ComputeTotals(e.draft)
	cur := e.draft.Currency
	for i, r := range e.lines {
		r.amount.SetText(money(t.Lines[i].Listed, cur)) // as typed: with tax when the prices include it
	}
	e.subtotal.SetText(money(t.Subtotal, cur))
	e.discount.SetText(money(t.Discount, cur))
	e.tax.SetText(money(t.Tax, cur))
	e.total.SetText(money(t.Total, cur))
	e.reconcile.show(e.draft, t)
	e.showWarnings()
	e.issues = e.validate()
	e.showProblems()
}

// validate checks the draft as typed with the rules CreateInvoice applies (invoicing.CheckDraft, after the
// default item went on the lines that name none). It does no I/O, so it runs on every keystroke. Without the
// preferences the default item is not known, and the rule that every line has an item is left to Create.
func (e *invoiceEditor) validate() []invoicing.Issue {
	var ve *invoicing.ValidationError
	if !errors.As(invoicing.CheckDraft(invoicing.WithDefaultItem(e.draft, e.defaultItem), e.company, e.termList), &ve) {
		return nil
	}
	if e.itemKnown {
		return ve.Issues
	}
	return slices.DeleteFunc(ve.Issues, func(is invoicing.Issue) bool { return is.Code == invoicing.ItemMissing })
}

// shown says whether the problems of field are on screen: after a Create, or once the rep edited the field.
func (e *invoiceEditor) shown(field string) bool { return e.checked || e.touched[field] }

// showIssues shows problems the service found (linking a customer, creating), next to their fields.
func (e *invoiceEditor) showIssues(issues []invoicing.Issue) {
	for _, is := range issues {
		e.touched[is.Field] = true
	}
	e.issues = issues
	e.showProblems()
}

func (e *invoiceEditor) showWarnings() {
	var texts []string
	for _, w := range invoicing.Warnings(e.draft) {
		if i, ok := lineIndex(w.Field); ok && w.Code == invoicing.RecurringProduct {
			texts = append(texts, lang.X("editor.warning.recurring", "{{.Name}} is a recurring product; this invoice bills it once.",
				map[string]any{"Name": e.draft.Lines[i].Name}))
		} else if ok && w.Code == invoicing.ItemDefaulted {
			texts = append(texts, itemWarning(e.draft.Lines[i]))
		}
	}
	e.warnings.SetText(strings.Join(texts, "\n"))
	e.warnings.Hidden = len(texts) == 0
	e.warnings.Refresh()
}

// showProblems puts every message next to its field, or under the lines when the field has no place of its own.
// A field whose text could not be read says only that.
func (e *invoiceEditor) showProblems() {
	texts := map[string][]string{}
	place := func(field, text string) {
		if i, ok := lineIndex(field); ok && i < len(e.lines) {
			field = lineField(i)
		} else if _, ok := e.problems[field]; !ok {
			field = ""
		}
		texts[field] = append(texts[field], text)
	}
	for field, text := range e.badInput {
		place(field, text)
	}
	for _, is := range e.issues {
		if _, unread := e.badInput[is.Field]; !unread && e.shown(is.Field) {
			place(is.Field, e.issueText(is))
		}
	}
	for field, l := range e.problems {
		setProblem(l, texts[field])
	}
	for i, r := range e.lines {
		setProblem(r.problem, texts[lineField(i)])
	}
	setProblem(e.general, texts[""])
}

func setProblem(l *widget.Label, texts []string) {
	slices.Sort(texts)
	text := strings.Join(texts, " ")
	if l.Text == text && l.Hidden == (text == "") {
		return
	}
	l.Text = text
	l.Hidden = text == ""
	l.Refresh()
}

// issueText is the rep's-language sentence for one validation issue.
func (e *invoiceEditor) issueText(is invoicing.Issue) string {
	switch is.Code {
	case invoicing.CurrencyMissing:
		return lang.X("issue.currency_missing", "Enter the currency, such as EUR.")
	case invoicing.CurrencyNotISO:
		return lang.X("issue.currency_not_iso", "Use a three-letter currency code such as EUR or USD; QuickBooks cannot use other currencies.")
	case invoicing.CurrencyCustomerMismatch:
		return lang.X("issue.currency_customer_mismatch", "The QuickBooks customer uses {{.Currency}}. Link or create a customer in the invoice's currency.",
			map[string]any{"Currency": e.draft.Customer.LinkedCurrency})
	case invoicing.CurrencyNotHome:
		return lang.X("issue.currency_not_home", "Multicurrency is off in QuickBooks, so invoices must be in {{.Currency}}.",
			map[string]any{"Currency": e.company.HomeCurrency})
	case invoicing.CustomerNameMissing:
		return lang.X("issue.customer_name_missing", "Enter the customer's name.")
	case invoicing.CustomerNameInvalid:
		return lang.X("issue.customer_name_invalid", "A QuickBooks customer name cannot contain a colon, tab or line break.")
	case invoicing.EmailInvalid:
		return lang.X("issue.email_invalid", "This is not an e-mail address.")
	case invoicing.IssueDateMissing:
		return lang.X("issue.issue_date_missing", "Enter the issue date.")
	case invoicing.DueBeforeIssue:
		return lang.X("issue.due_before_issue", "The due date is before the issue date.")
	case invoicing.DueTooLate:
		return lang.X("issue.due_too_late", "The due date is more than {{.Days}} days after the issue date.", map[string]any{"Days": invoicing.MaxDueDays})
	case invoicing.InvoiceNumberTooLong:
		return lang.X("issue.invoice_number_too_long", "QuickBooks allows at most {{.Max}} characters in an invoice number.", map[string]any{"Max": invoicing.MaxInvoiceNumber})
	case invoicing.MemoTooLong:
		return lang.X("issue.memo_too_long", "QuickBooks allows at most {{.Max}} characters in the memo.", map[string]any{"Max": invoicing.MaxMemoLength})
	case invoicing.CustomerMemoTooLong:
		return lang.X("issue.customer_memo_too_long", "QuickBooks allows at most {{.Max}} characters in the message.", map[string]any{"Max": invoicing.MaxCustomerMemo})
	case invoicing.LinesMissing:
		return lang.X("issue.lines_missing", "Add at least one line.")
	case invoicing.TooManyLines:
		return lang.X("issue.too_many_lines", "QuickBooks allows at most {{.Max}} lines.", map[string]any{"Max": invoicing.MaxLines})
	case invoicing.QuantityNotPositive:
		return lang.X("issue.quantity_not_positive", "The quantity must be more than zero.")
	case invoicing.PriceNegative:
		return lang.X("issue.price_negative", "The unit price cannot be negative; use a discount instead.")
	case invoicing.TooManyDigits:
		return lang.X("issue.too_many_digits", "This number has more than {{.Max}} digits.", map[string]any{"Max": invoicing.MaxSignificantDigits})
	case invoicing.DiscountNegative:
		return lang.X("issue.discount_negative", "A discount cannot be negative.")
	case invoicing.DiscountTooLarge:
		return lang.X("issue.discount_too_large", "The discount is more than the amount it is taken from.")
	case invoicing.TaxCalculationMissing:
		return lang.X("issue.tax_calculation_missing", "Choose whether prices include or exclude tax.")
	case invoicing.TaxCodeMissing:
		return lang.X("issue.tax_code_missing", "Every line needs a tax code outside the US; choose a default tax code in the preferences.")
	case invoicing.TaxRateNegative:
		return lang.X("issue.tax_rate_negative", "The tax rate cannot be negative.")
	case invoicing.TermUnknown:
		return lang.X("issue.term_unknown", "QuickBooks does not have these terms. Choose other terms, or None.")
	case invoicing.ItemMissing:
		return lang.X("issue.item_missing", "Choose a default QuickBooks item in the preferences for products QuickBooks does not know.")
	}
	return is.Message
}

// showCustomer shows the linked QuickBooks customer with Unlink, or the candidates to link, or that a new
// customer will be created.
func (e *invoiceEditor) showCustomer() {
	c := e.draft.Customer
	var rows []fyne.CanvasObject
	switch {
	case c.LinkedID != "":
		rows = append(rows, container.NewHBox(
			widget.NewLabel(linkedText(e.linkedName)),
			widget.NewButton(lang.X("editor.unlink", "Unlink"), e.onUnlink)))
	case len(e.matches) > 0 && !e.createNew:
		rows = append(rows, widget.NewLabel(lang.X("editor.candidates", "QuickBooks may already know this customer. Link one, or create a new customer:")))
		for _, cm := range e.matches[:min(len(e.matches), maxCandidates)] {
			rows = append(rows, container.NewHBox(
				widget.NewButton(lang.X("editor.link", "Link"), func() { e.onLink(cm.Customer) }),
				widget.NewLabel(candidateText(cm))))
		}
		rows = append(rows, container.NewHBox(widget.NewButton(lang.X("editor.create_new", "Create new customer"), func() {
			e.createNew = true
			e.showCustomer()
		})))
	default:
		rows = append(rows, widget.NewLabel(lang.X("editor.new_customer", "A new QuickBooks customer will be created from these details.")))
	}
	e.customer.Objects = rows
	e.customer.Refresh()
	if e.onCustomerShown != nil {
		e.onCustomerShown()
	}
	// Updating QuickBooks' copy of the customer only means something for a customer that exists there.
	if c.LinkedID == "" {
		e.update.SetChecked(false)
		e.update.Disable()
	} else {
		e.update.Enable()
	}
}

func candidateText(cm invoicing.CustomerMatch) string {
	why := lang.X("editor.match.partial", "similar name")
	switch cm.Kind {
	case invoicing.ExactName:
		why = lang.X("editor.match.exact", "same name")
	case invoicing.SameEmail:
		why = lang.X("editor.match.email", "same e-mail address")
	}
	parts := []string{cm.Customer.DisplayName}
	if cm.Customer.Email != "" {
		parts = append(parts, cm.Customer.Email)
	}
	return strings.Join(parts, " · ") + " (" + why + ")"
}

// onLink links the deal's organization or person to an existing QuickBooks customer.
func (e *invoiceEditor) onLink(qc invoicing.QBCustomer) {
	svc, draft := e.m.deps.Invoicing, e.draft
	link := func(ctx context.Context) (invoicing.Draft, error) { return svc.LinkCustomer(ctx, draft, qc.ID) }
	call(e.m.bg, networkCall, link, func(linked invoicing.Draft, err error) {
		var ve *invoicing.ValidationError
		switch {
		case errors.As(err, &ve):
			e.showIssues(ve.Issues)
			return
		case err != nil:
			e.m.showProblem("link customer", err)
			return
		}
		e.draft.Customer.LinkedID, e.draft.Customer.LinkedCurrency = linked.Customer.LinkedID, linked.Customer.LinkedCurrency
		e.linkedName = qc.DisplayName
		e.touch("currency") // the customer's currency must be the invoice's
		e.showCustomer()
		e.changed()
	})
}

// offerExisting asks whether the deal should use the QuickBooks customer that already has the draft's name, and
// links it if so; the rep then creates the invoice again.
func (e *invoiceEditor) offerExisting(dn *invoicing.DuplicateNameError) {
	d := dialog.NewConfirm(lang.X("editor.existing.title", "{{.Name}} is already in QuickBooks", map[string]any{"Name": dn.Name}),
		lang.X("editor.existing.body", "QuickBooks already has a customer with this name, so it cannot make a second one. Use that customer for this deal? You can then create the invoice."),
		func(ok bool) {
			if ok {
				e.onLink(invoicing.QBCustomer{ID: dn.ExistingID, DisplayName: dn.Name})
			}
		}, e.m.window)
	d.SetConfirmText(lang.X("editor.existing.link", "Use this customer"))
	d.SetDismissText(lang.X("editor.existing.keep", "Change the name"))
	e.m.showConfirm(d)
}

// onUnlink asks first, saying who stops using the customer: for an organization every rep's Dealbooks
// (the link is shared through Pipedrive), for a person this computer. Unlink then forgets the link.
func (e *invoiceEditor) onUnlink() {
	customer := e.linkedName
	if customer == "" {
		customer = lang.X("editor.unlink.this_customer", "this customer")
	}
	party := e.deal.PersonName
	body := lang.X("editor.unlink.person", "Dealbooks on this computer will stop using this customer for {{.Party}}.",
		map[string]any{"Party": party})
	if e.draft.Customer.Party.Entity == invoicing.EntityOrganization {
		party = e.deal.OrgName
		body = lang.X("editor.unlink.organization", "Every rep's Dealbooks will stop using this customer for {{.Party}}.",
			map[string]any{"Party": party})
	}
	d := dialog.NewConfirm(lang.X("editor.unlink.title", "Unlink {{.Customer}} from {{.Party}}?",
		map[string]any{"Customer": customer, "Party": party}), body, func(ok bool) {
		if ok {
			e.unlink()
		}
	}, e.m.window)
	d.SetConfirmText(lang.X("editor.unlink", "Unlink"))
	d.SetDismissText(lang.X("action.cancel", "Cancel"))
	e.m.showDialog(d, nil)
}

// unlink forgets the link and offers the candidates again.
func (e *invoiceEditor) unlink() {
	svc, draft := e.m.deps.Invoicing, e.draft
	unlink := func(ctx context.Context) ([]invoicing.CustomerMatch, error) {
		unlinked, err := svc.UnlinkCustomer(ctx, draft)
		if err != nil {
			return nil, err
		}
		// Offline there are no candidates to offer; a new customer is then created, or linked later.
		matches, _ := svc.CustomerMatches(ctx, unlinked)
		return matches, nil
	}
	call(e.m.bg, networkCall, unlink, orProblem(e.m, "unlink customer", func(matches []invoicing.CustomerMatch) {
		e.draft.Customer.LinkedID, e.draft.Customer.LinkedCurrency = "", ""
		e.matches, e.linkedName, e.createNew = matches, "", false
		e.showCustomer()
		e.changed()
	}))
}

// send creates the invoice with a progress dialog that can cancel; another says the rep confirmed a further invoice for a deal that has one.
func (e *invoiceEditor) send(another bool) {
	ctx, cancel := e.m.bg.scope()
	progress := dialog.NewCustomWithoutButtons(lang.X("editor.creating.title", "Creating the invoice"),
		container.NewVBox(widget.NewProgressBarInfinite(),
			widget.NewLabel(lang.X("editor.creating", "Sending the invoice to QuickBooks…"))), e.m.window)
	progress.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.X("action.cancel", "Cancel"), cancel)})
	e.m.showDialogEsc(progress, cancel, nil) // Esc cancels, as the Cancel button does
	e.create.Disable()

	svc := e.m.deps.Invoicing
	draft := e.draft
	draft.Lines = slices.Clone(e.draft.Lines)
	draft.Another = another
	create := func(ctx context.Context) (invoicing.CreateResult, error) { return svc.CreateInvoice(ctx, draft) }
	callIn(e.m.bg, ctx, networkCall, create, func(res invoicing.CreateResult, err error) {
		cancel()
		progress.Hide()
		e.create.Enable()
		e.created(res, err)
	})
}

// created shows the outcome of CreateInvoice. On failure the form keeps everything the rep typed.
func (e *invoiceEditor) created(res invoicing.CreateResult, err error) {
	var ve *invoicing.ValidationError
	var dn *invoicing.DuplicateNameError
	switch {
	case errors.As(err, &ve):
		e.showIssues(ve.Issues)
		e.focusFirstProblem()
		return
	case errors.As(err, &dn) && dn.ExistingID != "":
		e.offerExisting(dn)
		e.save()
		return
	case e.refusedAsInvoiced(err):
		e.save()
		return
	case err != nil:
		// The customer may exist by now; keep the link so creating again does not make a second one.
		if id := res.Draft.Customer.LinkedID; id != "" {
			e.draft.Customer.LinkedID, e.draft.Customer.LinkedCurrency = id, res.Draft.Customer.LinkedCurrency
			e.showCustomer()
		}
		e.m.showProblem("create invoice", err)
		e.save()
		return
	case res.Queued:
		e.m.showDialog(dialog.NewInformation(lang.X("editor.queued.title", "Invoice queued"),
			lang.X("editor.queued", "QuickBooks cannot be reached now. The invoice waits on this computer and is sent once, when the network is back."),
			e.m.window), nil)
	case res.NoteErr != nil:
		e.m.deps.Log.Warn("write deal note", "deal", e.deal.ID, "err", res.NoteErr)
	}
	e.onCreated()
	e.m.invoicesChanged()
	e.content.Objects = []fyne.CanvasObject{container.NewVBox(e.status)}
	e.status.SetText(lang.X("editor.loading", "Reading the deal from Pipedrive…"))
	e.content.Refresh()
	e.load()
}
