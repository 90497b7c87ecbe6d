package ui

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// PreferenceService reads and saves the invoice preferences of the connected account pair.
// invoicing.Service implements it.
type PreferenceService interface {
	Preferences(ctx context.Context) (invoicing.Preferences, error)
	PreferenceChoices(ctx context.Context) (invoicing.PreferenceChoices, error)
	// SavePreferences saves p whole or refuses it with a *invoicing.ValidationError, saving nothing.
	SavePreferences(ctx context.Context, p invoicing.Preferences, fields []invoicing.Field) error
	// CreateDealStatusFields finds or adds the deal fields "Invoice status" and "Invoiced amount"; a
	// Pipedrive user who may not add fields gets a *invoicing.SharedFieldError.
	CreateDealStatusFields(ctx context.Context) (invoicing.DealStatusFields, error)
}

var _ PreferenceService = (*invoicing.Service)(nil)

// Where the preferences form shows each problem.
const (
	problemTo        = "to"
	problemAddress   = "address"
	problemEmail     = "email"
	problemTaxID     = "tax_id"
	problemDueDays   = "due_days"
	problemItem      = "default_item"
	problemTax       = "default_tax_code"
	problemNumbering = "numbering"
	problemDealField = "deal_fields"
)

// preferencesView is the Invoice preferences card in Settings: which Pipedrive fields fill the
// invoice, the due date, QuickBooks defaults, numbering and the deal note. Problems are shown beside
// the field at once, and Save stays off until there are none.
type preferencesView struct {
	m    *MainWindow
	body *fyne.Container // the form, or why there is none

	choices invoicing.PreferenceChoices
	fields  []invoicing.Field // in the order the field selects list them

	to, address, email, taxID *widget.Select
	dueDays                   *widget.Entry
	item, taxCode             *widget.Select
	taxRates                  *taxRatesEditor // the codes remembered per Pipedrive rate; nil if none
	taxable                   *widget.Check
	numbering                 *widget.RadioGroup
	prefix, next              *widget.Entry
	note                      *widget.Check
	// dealStatus and dealAmount choose the deal fields kept up to date with the deal's invoices, from
	// statusFields and amountFields (after None); createFields adds them in Pipedrive.
	dealStatus, dealAmount     *widget.Select
	statusFields, amountFields []invoicing.Field
	createFields               *widget.Button
	save                       *widget.Button
	status                     *widget.Label
	problems                   map[string]*widget.Label

	saved invoicing.Preferences // the preferences as last read or saved, which Discard puts back
	shown prefsForm             // the form as it showed them; a form that differs has unsaved changes
}

// preferencesCard returns the card, loading its choices in the background, or nothing without a service.
func (s *settingsView) preferencesCard() fyne.CanvasObject {
	if s.m.deps.Preferences == nil {
		return container.NewVBox()
	}
	s.preferences = &preferencesView{m: s.m, body: container.NewVBox(widget.NewLabel(lang.X("prefs.loading", "Reading the fields from Pipedrive and QuickBooks…")))}
	s.preferences.load()
	return widget.NewCard(lang.X("prefs.title", "Invoice preferences"),
		lang.X("prefs.subtitle", "How a deal fills an invoice, for this pair of accounts"), s.preferences.body)
}

// load reads the saved preferences and the choices off the UI goroutine.
func (v *preferencesView) load() {
	svc := v.m.deps.Preferences
	call(v.m.bg, accountsCall, func(ctx context.Context) (savedPreferences, error) {
		var r savedPreferences
		var err error
		if r.choices, err = svc.PreferenceChoices(ctx); err == nil {
			r.prefs, err = svc.Preferences(ctx)
		}
		if err != nil {
			v.m.deps.Log.Warn("read preferences", "err", err)
		}
		return r, err
	}, func(r savedPreferences, err error) {
		if err != nil {
			retry := widget.NewButton(lang.X("prefs.retry", "Try again"), v.load)
			text := widget.NewLabel(lang.X("prefs.unavailable", "Connect Pipedrive and QuickBooks first; then the fields to choose from are read from them."))
			text.Wrapping = fyne.TextWrapWord
			v.body.Objects = []fyne.CanvasObject{text, container.NewHBox(retry)}
			v.body.Refresh()
			return
		}
		v.build(r.choices, r.prefs)
	})
}

// savedPreferences is what the card opens with.
type savedPreferences struct {
	choices invoicing.PreferenceChoices
	prefs   invoicing.Preferences
}

// build lays out the form for choices and fills it from p.
func (v *preferencesView) build(choices invoicing.PreferenceChoices, p invoicing.Preferences) {
	v.choices = choices
	v.fields = sortedFields(choices.Fields)
	v.problems = map[string]*widget.Label{}
	names := make([]string, len(v.fields))
	for i, f := range v.fields {
		names[i] = fieldLabel(f)
	}
	none := lang.X("prefs.none", "None")
	v.to = widget.NewSelect(names, nil)
	v.address = widget.NewSelect(append([]string{none}, names...), nil)
	v.email = widget.NewSelect(append([]string{none}, names...), nil)
	v.taxID = widget.NewSelect(append([]string{none}, names...), nil)
	v.selectField(v.to, p.To, false)
	v.selectField(v.address, p.Address, true)
	v.selectField(v.email, p.Email, true)
	v.selectField(v.taxID, p.TaxID, true)

	v.dueDays = widget.NewEntry()
	v.dueDays.SetText(strconv.Itoa(p.DueDays))

	itemNames := make([]string, len(choices.Items))
	for i, it := range choices.Items {
		itemNames[i] = it.Name
	}
	v.item = widget.NewSelect(itemNames, nil)
	for i, it := range choices.Items {
		if it.ID == p.DefaultItemID {
			v.item.SetSelectedIndex(i)
		}
	}

	codeNames := make([]string, len(choices.TaxCodes))
	for i, tc := range choices.TaxCodes {
		codeNames[i] = tc.Name
	}
	v.taxCode = widget.NewSelect(codeNames, nil)
	for i, tc := range choices.TaxCodes {
		if tc.ID == p.DefaultTaxCode {
			v.taxCode.SetSelectedIndex(i)
		}
	}
	v.taxable = widget.NewCheck(lang.X("prefs.taxable", "Also tax lines with no tax rate in Pipedrive"), nil)
	v.taxable.SetChecked(p.TaxableByDefault)

	quickbooksNumbers := lang.X("prefs.numbering.quickbooks", "QuickBooks numbers the invoices")
	ownNumbers := lang.X("prefs.numbering.prefix", "A prefix and the next number")
	v.numbering = widget.NewRadioGroup([]string{quickbooksNumbers, ownNumbers}, nil)
	v.numbering.Required = true
	v.prefix = widget.NewEntry()
	v.prefix.SetPlaceHolder(lang.X("prefs.prefix", "Prefix, such as PD-"))
	v.prefix.SetText(p.Numbering.Prefix)
	v.next = widget.NewEntry()
	v.next.SetPlaceHolder(lang.X("prefs.next", "Next number, such as 1000"))
	if p.Numbering.Next > 0 {
		v.next.SetText(strconv.FormatInt(p.Numbering.Next, 10))
	}
	v.numbering.SetSelected(quickbooksNumbers)
	if p.Numbering.Mode == invoicing.NumberPrefix {
		v.numbering.SetSelected(ownNumbers)
	}

	v.note = widget.NewCheck(lang.X("prefs.note", "Write a note on the Pipedrive deal for each invoice"), nil)
	v.note.SetChecked(p.WriteNote)

	v.buildDealFields(p.DealFields)

	v.save = widget.NewButton(lang.X("prefs.save", "Save preferences"), v.onSave)
	v.save.Importance = widget.HighImportance
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord

	tax := widget.NewFormItem(lang.X("prefs.tax", "Sales tax"), v.withProblem(v.taxable, problemTax))
	// The rule of invoicing.Preferences.TaxableByDefault, which BuildDraft and the editor's new lines follow.
	tax.HintText = lang.X("prefs.taxable.hint", "A line whose product has a tax rate in Pipedrive is always taxed. Ticked, the other lines are taxed too, and so are the lines you add.")
	v.taxRates = nil
	if choices.Company.TaxModel == invoicing.TaxGlobal {
		tax = widget.NewFormItem(lang.X("prefs.tax_code", "Default tax code"), v.withProblem(wideSelect(v.taxCode), problemTax))
		v.taxRates = newTaxRatesEditor(choices.TaxCodes, p.TaxCodeByRate, func(string) { v.check() })
	}
	numbers := container.NewVBox(v.numbering, container.NewGridWithColumns(2, v.prefix, v.next))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("prefs.to", "To"), v.withProblem(wideSelect(v.to), problemTo)),
		widget.NewFormItem(lang.X("prefs.address", "Address"), v.withProblem(wideSelect(v.address), problemAddress)),
		widget.NewFormItem(lang.X("prefs.email", "Email"), v.withProblem(wideSelect(v.email), problemEmail)),
		widget.NewFormItem(lang.X("prefs.tax_id", "Customer tax ID"), v.withProblem(wideSelect(v.taxID), problemTaxID)),
		widget.NewFormItem(lang.X("prefs.due_days", "Due, days after the issue date"), v.withProblem(v.dueDays, problemDueDays)),
		widget.NewFormItem(lang.X("prefs.item", "Default QuickBooks item"), v.withProblem(wideSelect(v.item), problemItem)),
		tax,
		widget.NewFormItem(lang.X("prefs.numbering", "Invoice numbers"), v.withProblem(numbers, problemNumbering)),
		widget.NewFormItem("", v.note),
		widget.NewFormItem(lang.X("prefs.deal_status", "Invoice status on the deal"), wideSelect(v.dealStatus)),
		widget.NewFormItem(lang.X("prefs.deal_amount", "Invoiced amount on the deal"),
			v.withProblem(container.NewVBox(wideSelect(v.dealAmount), container.NewHBox(v.createFields)), problemDealField)),
	)
	if v.taxRates != nil {
		form.Append(lang.X("prefs.tax_rates", "Tax codes by Pipedrive rate"), v.taxRates.box)
	}
	v.body.Objects = []fyne.CanvasObject{form, container.NewBorder(nil, nil, nil, v.save, v.status)}
	v.body.Refresh()

	changed := func(string) { v.check() }
	for _, s := range []*widget.Select{v.to, v.address, v.email, v.taxID, v.item, v.taxCode, v.dealStatus, v.dealAmount} {
		s.OnChanged = changed
	}
	v.dueDays.OnChanged = changed
	v.prefix.OnChanged = changed
	v.next.OnChanged = changed
	v.numbering.OnChanged = changed
	v.taxable.OnChanged = func(bool) { v.check() }
	v.note.OnChanged = func(bool) { v.check() }
	v.check()
	v.saved, v.shown = p, v.form()
}

// withProblem puts the line that explains a problem with o under it.
func (v *preferencesView) withProblem(o fyne.CanvasObject, key string) fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	v.problems[key] = l
	return container.NewVBox(o, l)
}

func (v *preferencesView) selectField(s *widget.Select, ref invoicing.FieldRef, optional bool) {
	offset := 0
	if optional {
		offset = 1
		s.SetSelectedIndex(0)
	}
	for i, f := range v.fields {
		if f.Entity == ref.Entity && f.Code == ref.Code {
			s.SetSelectedIndex(i + offset)
		}
	}
}

func (v *preferencesView) fieldRef(s *widget.Select, optional bool) invoicing.FieldRef {
	i := s.SelectedIndex()
	if optional {
		i--
	}
	if i < 0 || i >= len(v.fields) {
		return invoicing.FieldRef{}
	}
	return invoicing.FieldRef{Entity: v.fields[i].Entity, Code: v.fields[i].Code}
}

// read returns the preferences on the form, and the problems of entries that are not numbers.
func (v *preferencesView) read() (invoicing.Preferences, map[string]string) {
	problems := map[string]string{}
	p := invoicing.Preferences{
		To:               v.fieldRef(v.to, false),
		Address:          v.fieldRef(v.address, true),
		Email:            v.fieldRef(v.email, true),
		TaxID:            v.fieldRef(v.taxID, true),
		TaxableByDefault: v.taxable.Checked,
		WriteNote:        v.note.Checked,
		Numbering:        invoicing.Numbering{Mode: invoicing.NumberQuickBooks},
		DealFields:       v.dealFieldCodes(),
	}
	days, err := strconv.Atoi(strings.TrimSpace(v.dueDays.Text))
	if err != nil {
		problems[problemDueDays] = issueText(invoicing.Issue{Field: "due_days", Code: invoicing.DueDaysOutOfRange})
	}
	p.DueDays = days
	if i := v.item.SelectedIndex(); i >= 0 {
		p.DefaultItemID = v.choices.Items[i].ID
	}
	if i := v.taxCode.SelectedIndex(); i >= 0 && v.choices.Company.TaxModel == invoicing.TaxGlobal {
		p.DefaultTaxCode = v.choices.TaxCodes[i].ID
	}
	if v.taxRates != nil {
		p.TaxCodeByRate = v.taxRates.read()
	}
	ownNumbers := v.numbering.Selected == v.numbering.Options[1]
	enableEntry(v.prefix, ownNumbers)
	enableEntry(v.next, ownNumbers)
	if ownNumbers {
		p.Numbering = invoicing.Numbering{Mode: invoicing.NumberPrefix, Prefix: v.prefix.Text}
		next, err := strconv.ParseInt(strings.TrimSpace(v.next.Text), 10, 64)
		if err != nil {
			problems[problemNumbering] = issueText(invoicing.Issue{Field: "numbering.next", Code: invoicing.NumberingInvalid})
		}
		p.Numbering.Next = next
	}
	return p, problems
}

func enableEntry(e *widget.Entry, on bool) {
	if on {
		e.Enable()
	} else {
		e.Disable()
	}
}

// check shows every problem with the form beside its field and allows Save only when there are none.
func (v *preferencesView) check() bool {
	p, problems := v.read()
	var ve *invoicing.ValidationError
	if errors.As(invoicing.CheckPreferences(p, v.choices.Fields, v.choices.Company, true), &ve) {
		addIssues(problems, ve.Issues)
	}
	v.showProblems(problems)
	v.status.SetText("")
	enable(v.save, len(problems) == 0)
	return len(problems) == 0
}

// addIssues puts each issue under its field, keeping a problem already found there.
func addIssues(problems map[string]string, issues []invoicing.Issue) {
	for _, is := range issues {
		key := is.Field
		switch {
		case strings.HasPrefix(key, "numbering"):
			key = problemNumbering
		case strings.HasPrefix(key, "deal_"):
			key = problemDealField
		}
		if _, ok := problems[key]; !ok {
			problems[key] = issueText(is)
		}
	}
}

func (v *preferencesView) showProblems(problems map[string]string) {
	for key, l := range v.problems {
		l.SetText(problems[key])
		if problems[key] == "" {
			l.Hide()
		} else {
			l.Show()
		}
	}
}

// onSave saves the whole form, or nothing.
func (v *preferencesView) onSave() { v.saveThen(nil) }

// saveThen saves the whole form, or nothing, and then runs done (if not nil) with whether it saved.
func (v *preferencesView) saveThen(done func(saved bool)) {
	if done == nil {
		done = func(bool) {}
	}
	if !v.check() {
		done(false)
		return
	}
	p, _ := v.read()
	form := v.form()
	fields := v.choices.Fields
	v.save.Disable()
	svc := v.m.deps.Preferences
	v.m.bg.do(accountsCall, func(ctx context.Context) error {
		err := svc.SavePreferences(ctx, p, fields)
		if err != nil {
			v.m.deps.Log.Warn("save preferences", "err", err)
		}
		return err
	}, func(err error) {
		v.save.Enable()
		var ve *invoicing.ValidationError
		switch {
		case errors.As(err, &ve):
			problems := map[string]string{}
			addIssues(problems, ve.Issues)
			v.showProblems(problems)
			v.save.Disable()
			v.status.SetText(lang.X("prefs.refused", "Nothing was saved; correct the fields marked above."))
		case err != nil:
			v.status.SetText(lang.X("prefs.failed", "The preferences could not be saved, and nothing was changed. Try again."))
		default:
			v.status.SetText(lang.X("prefs.saved", "Preferences saved."))
			v.saved, v.shown = p, form
		}
		done(err == nil)
	})
}

// issueText is one sentence for a problem with a preference.
func issueText(is invoicing.Issue) string {
	switch is.Code {
	case invoicing.FieldMissing:
		return lang.X("prefs.issue.field_missing", "Choose the Pipedrive field that fills this.")
	case invoicing.FieldUnknown:
		return lang.X("prefs.issue.field_unknown", "That Pipedrive field no longer exists; choose another.")
	case invoicing.DueDaysOutOfRange:
		return lang.X("prefs.issue.due_days", "Enter a whole number of days from 0 to 365.")
	case invoicing.ItemMissing:
		return lang.X("prefs.issue.item_missing", "Choose the QuickBooks item for products that have none.")
	case invoicing.TaxCodeMissing:
		return lang.X("prefs.issue.tax_code_missing", "Choose a tax code; QuickBooks needs one on every line outside the US.")
	case invoicing.NumberingNotOnInQB:
		return lang.X("prefs.issue.numbering_off", "Turn on custom transaction numbers in QuickBooks first, or let QuickBooks number the invoices.")
	case invoicing.NumberingInvalid:
		switch is.Field {
		case "numbering.next":
			return lang.X("prefs.issue.next_number", "The next number must be a whole number, 1 or more.")
		case "numbering.prefix":
			return lang.X("prefs.issue.number_too_long", "Prefix and number together may have at most 21 characters.")
		}
		return lang.X("prefs.issue.numbering", "Choose who numbers the invoices.")
	}
	return lang.X("prefs.issue.other", "This value cannot be used; choose another.")
}

// sortedFields lists organization fields first, then person and deal fields, each with the standard
// fields before the custom ones, by name.
func sortedFields(fields []invoicing.Field) []invoicing.Field {
	rank := map[invoicing.Entity]int{invoicing.EntityOrganization: 0, invoicing.EntityPerson: 1, invoicing.EntityDeal: 2}
	out := append([]invoicing.Field(nil), fields...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rank[a.Entity] != rank[b.Entity] {
			return rank[a.Entity] < rank[b.Entity]
		}
		if a.Custom != b.Custom {
			return !a.Custom
		}
		return a.Name < b.Name
	})
	return out
}

// fieldLabel is "Organization – Name".
func fieldLabel(f invoicing.Field) string {
	entity := lang.X("prefs.entity.deal", "Deal")
	switch f.Entity {
	case invoicing.EntityOrganization:
		entity = lang.X("prefs.entity.organization", "Organization")
	case invoicing.EntityPerson:
		entity = lang.X("prefs.entity.person", "Person")
	}
	return entity + " – " + f.Name
}

// buildDealFields makes the selects of the deal fields for the invoice status (text fields) and the
// invoiced amount (monetary and numeric fields), showing chosen, and the button that adds both.
func (v *preferencesView) buildDealFields(chosen invoicing.DealStatusFields) {
	none := lang.X("prefs.deal_fields.none", "None: not written")
	v.statusFields, v.amountFields = nil, nil
	for _, f := range v.fields {
		switch {
		case f.Entity != invoicing.EntityDeal || !f.Custom:
		case slices.Contains(invoicing.StatusFieldTypes, f.Type):
			v.statusFields = append(v.statusFields, f)
		case slices.Contains(invoicing.AmountFieldTypes, f.Type):
			v.amountFields = append(v.amountFields, f)
		}
	}
	choose := func(fields []invoicing.Field, code string) *widget.Select {
		names := []string{none}
		for _, f := range fields {
			names = append(names, f.Name)
		}
		s := widget.NewSelect(names, nil)
		s.SetSelectedIndex(0)
		if i := slices.IndexFunc(fields, func(f invoicing.Field) bool { return f.Code == code }); i >= 0 {
			s.SetSelectedIndex(i + 1)
		}
		return s
	}
	v.dealStatus = choose(v.statusFields, chosen.Status)
	v.dealAmount = choose(v.amountFields, chosen.Amount)
	v.createFields = widget.NewButton(lang.X("prefs.deal_fields.create", "Create them in Pipedrive"), v.onCreateDealFields)
}

// dealFieldCodes are the deal fields chosen.
func (v *preferencesView) dealFieldCodes() invoicing.DealStatusFields {
	code := func(s *widget.Select, fields []invoicing.Field) string {
		if i := s.SelectedIndex() - 1; i >= 0 && i < len(fields) {
			return fields[i].Code
		}
		return ""
	}
	return invoicing.DealStatusFields{Status: code(v.dealStatus, v.statusFields), Amount: code(v.dealAmount, v.amountFields)}
}

// onCreateDealFields adds the deal fields "Invoice status" and "Invoiced amount" in Pipedrive (or finds
// them, when a teammate added them) and chooses them; Save keeps the choice.
func (v *preferencesView) onCreateDealFields() {
	v.createFields.Disable()
	svc := v.m.deps.Preferences
	call(v.m.bg, networkCall, func(ctx context.Context) (invoicing.DealStatusFields, error) {
		f, err := svc.CreateDealStatusFields(ctx)
		if err != nil {
			v.m.deps.Log.Warn("create deal fields", "err", err)
		}
		return f, err
	}, func(f invoicing.DealStatusFields, err error) {
		v.createFields.Enable()
		var sfe *invoicing.SharedFieldError
		switch {
		case errors.As(err, &sfe):
			v.status.SetText(lang.X("prefs.deal_fields.denied",
				"Your Pipedrive user may not add fields: ask a Pipedrive admin to add the deal fields “Invoice status” (text) and “Invoiced amount” (monetary), or choose existing deal fields."))
			return
		case err != nil:
			v.status.SetText(lang.X("prefs.deal_fields.failed", "The deal fields could not be added in Pipedrive. Try again."))
			return
		}
		p, _ := v.read()
		p.DealFields = f
		choices := v.choices
		choices.Fields = slices.Clone(choices.Fields)
		for _, add := range []invoicing.Field{
			{Entity: invoicing.EntityDeal, Code: f.Status, Name: invoicing.InvoiceStatusField, Type: "varchar", Custom: true},
			{Entity: invoicing.EntityDeal, Code: f.Amount, Name: invoicing.InvoicedAmountField, Type: "monetary", Custom: true},
		} {
			if !slices.ContainsFunc(choices.Fields, func(g invoicing.Field) bool { return g.Entity == add.Entity && g.Code == add.Code }) {
				choices.Fields = append(choices.Fields, add)
			}
		}
		v.build(choices, p)
		v.status.SetText(lang.X("prefs.deal_fields.created", "The deal fields are ready in Pipedrive; save the preferences to use them."))
	})
}
