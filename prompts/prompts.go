// Package prompts holds the prompts briefbot sends a language model to
// rephrase or translate a curated section, and renders them.
//
// The prompts are data: text/template files, one shared layout
// (base.tmpl), one file per style (brief, bullets, simple, formal) and one
// for translation (translate.tmpl). They are embedded in the binary, and a
// folder holding the same six files replaces them (Load(os.DirFS(dir))).
// A prompt's version is a hash of the files it is built from, so editing a
// prompt changes its version and rephrasings cached under the old one are
// not used again.
package prompts

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var embedded embed.FS

// The lines that open and close the section in the user message. Text
// between them is data; the same sequences inside it are broken up.
const (
	Open  = "<<<SECTION"
	Close = "SECTION>>>"
)

// renderVersion changes when this file changes how prompts are rendered,
// so the versions derived from the templates change with it.
const renderVersion = "1"

const (
	baseFile      = "base.tmpl"
	translateFile = "translate.tmpl"
	// draftFile is the prompt of briefbot draft --llm. A folder may leave
	// it out: the built-in one is used then.
	draftFile = "draft.tmpl"
)

// Styles are the styles a Set holds a template for, in order.
func Styles() []string { return []string{"brief", "bullets", "simple", "formal"} }

// Set is a loaded, checked set of prompt templates.
type Set struct {
	files map[string]string             // file name → text
	trees map[string]*template.Template // style ("" for translation alone) → template
	draft *template.Template
}

// Embedded returns the built-in templates, for Load or for copying into a
// folder to edit.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}

// Default returns the built-in templates.
func Default() (*Set, error) { return Load(Embedded()) }

// Load reads the templates at the root of fsys: base.tmpl, translate.tmpl
// and brief.tmpl, bullets.tmpl, simple.tmpl, formal.tmpl. Every file must
// be present and parse, define what it is for, and render a sample
// section; other .tmpl files are refused as likely typos, and files with
// other extensions are ignored.
func Load(fsys fs.FS) (*Set, error) {
	want := []string{baseFile, translateFile}
	for _, s := range Styles() {
		want = append(want, s+".tmpl")
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("prompts: %w", err)
	}
	s := &Set{files: make(map[string]string), trees: make(map[string]*template.Template)}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".tmpl" {
			continue
		}
		if !slices.Contains(want, name) && name != draftFile {
			errs = append(errs, fmt.Errorf("prompts: unknown template %s (the templates are %s, and %s if you change it)", name, strings.Join(want, ", "), draftFile))
			continue
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("prompts: %w", err))
			continue
		}
		s.files[name] = string(b)
	}
	for _, name := range want {
		if _, ok := s.files[name]; !ok {
			errs = append(errs, fmt.Errorf("prompts: %s is missing; a prompt folder needs all of %s", name, strings.Join(want, ", ")))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if _, ok := s.files[draftFile]; !ok {
		b, err := fs.ReadFile(embedded, "templates/"+draftFile)
		if err != nil {
			panic(err) // embedded above
		}
		s.files[draftFile] = string(b)
	}
	d, err := template.New(draftFile).Option("missingkey=error").Parse(s.files[draftFile])
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("prompts: %w", err))
	case d.Lookup("draft-system") == nil || d.Lookup("draft-user") == nil:
		errs = append(errs, fmt.Errorf("prompts: %s must define \"draft-system\" and \"draft-user\"", draftFile))
	default:
		s.draft = d
	}
	for _, style := range append([]string{""}, Styles()...) {
		t, err := s.parse(style)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.trees[style] = t
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, s.check()
}

// parse builds the template for style: the layout, translation, the style.
func (s *Set) parse(style string) (*template.Template, error) {
	files := []string{baseFile, translateFile}
	if style != "" {
		files = append(files, style+".tmpl")
	}
	root := template.New(style).Option("missingkey=error")
	for _, f := range files {
		if _, err := root.New(f).Parse(s.files[f]); err != nil {
			return nil, fmt.Errorf("prompts: %w", err)
		}
	}
	need := map[string][]string{baseFile: {"system", "user", "strict"}, translateFile: {"translate"}}
	if style != "" {
		need[style+".tmpl"] = []string{"style"}
	}
	for _, f := range files {
		for _, name := range need[f] {
			if root.Lookup(name) == nil {
				return nil, fmt.Errorf("prompts: %s must define %q ({{define %q}}…{{end}})", f, name, name)
			}
		}
	}
	return root, nil
}

// check renders a sample of every prompt, so a template that parses but
// fails to execute, or loses the section, is caught at load time.
func (s *Set) check() error {
	const title, text = "Sample title", "Sample text with 70% and 7 May 2025."
	var errs []error
	for _, style := range append([]string{""}, Styles()...) {
		for _, lang := range []string{"", "Spanish"} {
			if style == "" && lang == "" {
				continue
			}
			for _, strict := range []bool{false, true} {
				m, err := s.Render(Input{Style: style, Language: lang, Native: "Español", Title: title, Text: text, Strict: strict, Problems: []string{"sample problem"}})
				if err != nil {
					errs = append(errs, err)
					continue
				}
				i, j := strings.Index(m.User, Open), strings.LastIndex(m.User, Close)
				if i < 0 || j < i || !strings.Contains(m.User[i:j], text) || !strings.Contains(m.User[i:j], title) {
					errs = append(errs, fmt.Errorf("prompts: %s: the user message must hold the title and text between {{.Open}} and {{.Close}}", baseFile))
				}
				if m.System == "" {
					errs = append(errs, fmt.Errorf("prompts: %s: the system message is empty", baseFile))
				}
				if strict && !strings.Contains(m.System, "sample problem") {
					errs = append(errs, fmt.Errorf("prompts: %s: a strict prompt must list the .Problems", baseFile))
				}
			}
		}
	}
	if m, err := s.Draft(DraftInput{Title: title, Passage: text, Article: text}); err != nil {
		errs = append(errs, err)
	} else if i := strings.Index(m.User, Open); i < 0 || !strings.Contains(m.User[i:], text) || m.System == "" {
		errs = append(errs, fmt.Errorf("prompts: %s: the user message must hold the passage between {{.Open}} and {{.Close}}, and the system message must not be empty", draftFile))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// DraftInput is what the draft prompt is rendered from.
type DraftInput struct {
	Title   string // the section's heading
	Passage string // the article's own text for the section
	Article string // the whole article
}

// Draft renders the prompt that asks a model to draft a section of a new
// content file from a news article. Its version is a hash of draft.tmpl.
func (s *Set) Draft(in DraftInput) (Messages, error) {
	d := struct{ Title, Passage, Article, Open, Close string }{
		Neutralise(in.Title), Neutralise(in.Passage), Neutralise(in.Article), Open, Close,
	}
	sum := sha256.Sum256([]byte(renderVersion + "\x00" + s.files[draftFile]))
	m := Messages{Version: "draft-" + hex.EncodeToString(sum[:6])}
	var b bytes.Buffer
	for _, part := range []struct {
		name string
		out  *string
	}{{"draft-system", &m.System}, {"draft-user", &m.User}} {
		b.Reset()
		if err := s.draft.ExecuteTemplate(&b, part.name, d); err != nil {
			return Messages{}, fmt.Errorf("prompts: %w", err)
		}
		*part.out = strings.TrimSpace(b.String())
	}
	return m, nil
}

// Version returns the version of the prompt for style ("" for translation
// alone), translated or not: the style, and a hash of the files the prompt
// is made of. It changes whenever one of them does.
func (s *Set) Version(style string, translated bool) (string, error) {
	if _, ok := s.trees[style]; !ok {
		return "", fmt.Errorf("prompts: no style %q (the styles are %s)", style, strings.Join(Styles(), ", "))
	}
	h := sha256.New()
	files := []string{baseFile}
	if style != "" {
		files = append(files, style+".tmpl")
	}
	if translated {
		files = append(files, translateFile)
	}
	fmt.Fprintf(h, "render %s\x00", renderVersion)
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00%s", f, len(s.files[f]), s.files[f])
	}
	name := style
	switch {
	case style == "":
		name = "translate"
	case translated:
		name += "+translate"
	}
	return name + "-" + hex.EncodeToString(h.Sum(nil)[:6]), nil
}

// Input is what a prompt is rendered from.
type Input struct {
	Style    string   // one of Styles, or "" to keep the section's style and only translate
	Language string   // the English name of the language to write in; "" for the section's own
	Native   string   // that language's name in itself, e.g. "Español"
	Title    string   // the section's title
	Text     string   // the curated section
	Strict   bool     // the previous answer was rejected
	Problems []string // why, for the strict prompt
}

// Messages are a rendered prompt: the system and user chat messages, and
// the prompt's version.
type Messages struct {
	System  string
	User    string
	Version string
}

// data is what the templates see.
type data struct {
	Style, Language, Native, Title, Text string
	Strict                               bool
	Problems                             []string
	Open, Close                          string
}

// Render renders the prompt for in.
func (s *Set) Render(in Input) (Messages, error) {
	t, ok := s.trees[in.Style]
	switch {
	case !ok:
		return Messages{}, fmt.Errorf("prompts: no style %q (the styles are %s)", in.Style, strings.Join(Styles(), ", "))
	case in.Style == "" && in.Language == "":
		return Messages{}, errors.New("prompts: nothing to do: no style and no language")
	}
	version, err := s.Version(in.Style, in.Language != "")
	if err != nil {
		return Messages{}, err
	}
	native := in.Native
	if native == "" {
		native = in.Language
	}
	d := data{
		Style:    in.Style,
		Language: in.Language,
		Native:   native,
		Title:    Neutralise(in.Title),
		Text:     Neutralise(strings.ReplaceAll(in.Text, "\r\n", "\n")),
		Strict:   in.Strict,
		Open:     Open,
		Close:    Close,
	}
	for _, p := range in.Problems {
		d.Problems = append(d.Problems, Neutralise(p))
	}
	m := Messages{Version: version}
	var b bytes.Buffer
	for _, part := range []struct {
		name string
		out  *string
	}{{"system", &m.System}, {"user", &m.User}} {
		b.Reset()
		if err := t.ExecuteTemplate(&b, part.name, d); err != nil {
			return Messages{}, fmt.Errorf("prompts: %w", err)
		}
		*part.out = strings.TrimSpace(b.String())
	}
	return m, nil
}

// Neutralise breaks up the delimiter sequences "<<<" and ">>>" in text
// that goes between the delimiters, so a section cannot close its own data
// block and pass itself off as instructions.
func Neutralise(s string) string {
	for strings.Contains(s, "<<<") || strings.Contains(s, ">>>") {
		s = strings.ReplaceAll(s, "<<<", "< <<")
		s = strings.ReplaceAll(s, ">>>", ">> >")
	}
	return s
}
