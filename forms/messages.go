package forms

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/zh"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	entrans "github.com/go-playground/validator/v10/translations/en"
	zhtrans "github.com/go-playground/validator/v10/translations/zh"
)

// checker is the one validator instance of the package, with zh and en
// translators registered for its built-in tags.
var checker, transZh, transEn = newChecker()

func newChecker() (*validator.Validate, ut.Translator, ut.Translator) {
	v := validator.New(validator.WithRequiredStructEnabled())
	uni := ut.New(zh.New(), zh.New(), en.New())
	tz, _ := uni.GetTranslator("zh")
	te, _ := uni.GetTranslator("en")
	if err := zhtrans.RegisterDefaultTranslations(v, tz); err != nil {
		panic(err)
	}
	if err := entrans.RegisterDefaultTranslations(v, te); err != nil {
		panic(err)
	}
	return v, tz, te
}

// tagCodes maps validator tags to FieldError codes.
var tagCodes = map[string]string{
	"min": "min", "max": "max", "gte": "min", "lte": "max", "oneof": "option", "unique": "duplicate",
}

// checkVar runs the shared validator on one value with a tag built from the
// definition and returns the first failure as a code and a zh+en message.
func checkVar(f *Field, value any, tag string) (string, Text, bool) {
	if tag == "" {
		return "", Text{}, true
	}
	err := checker.VarWithKey(f.Label.Zh, value, tag)
	if err == nil {
		return "", Text{}, true
	}
	var zhErrs validator.ValidationErrors
	if !errors.As(err, &zhErrs) || len(zhErrs) == 0 {
		return "type", typeMessage(f), false
	}
	fe := zhErrs[0]
	msg := Text{Zh: fe.Translate(transZh), En: fe.Error()}
	var enErrs validator.ValidationErrors
	if errors.As(checker.VarWithKey(labelEn(f), value, tag), &enErrs) && len(enErrs) > 0 {
		msg.En = enErrs[0].Translate(transEn)
	}
	code := tagCodes[fe.Tag()]
	if code == "" {
		code = fe.Tag()
	}
	if code == "max" && (f.Type == String) {
		code = "max_length"
	}
	return code, msg, false
}

// requiredMessage uses the validator's translations of "required".
func requiredMessage(f *Field) Text {
	z, err := transZh.T("required", f.Label.Zh)
	if err != nil {
		z = f.Label.Zh + "为必填字段"
	}
	e, err := transEn.T("required", labelEn(f))
	if err != nil {
		e = labelEn(f) + " is a required field"
	}
	return Text{Zh: z, En: e}
}

// labelEn is the field's English label, or its Chinese one when it has none.
func labelEn(f *Field) string {
	if f.Label.En != "" {
		return f.Label.En
	}
	return f.Label.Zh
}

var typeNames = map[FieldType]Text{
	Integer:  {Zh: "整数", En: "a whole number"},
	Decimal:  {Zh: "数字", En: "a number"},
	Percent:  {Zh: "0–100 的百分数", En: "a percentage from 0 to 100"},
	Boolean:  {Zh: "是或否", En: "yes or no"},
	Choice:   {Zh: "选项之一", En: "one of the options"},
	Multi:    {Zh: "选项列表", En: "a list of options"},
	Date:     {Zh: "日期（YYYY-MM-DD）", En: "a date (YYYY-MM-DD)"},
	String:   {Zh: "文字", En: "text"},
	Repeat:   {Zh: "行的列表", En: "a list of rows"},
	Computed: {Zh: "计算值", En: "a computed value"},
}

func typeMessage(f *Field) Text {
	n := typeNames[f.Type]
	return Text{Zh: fmt.Sprintf("%s须为%s", f.Label.Zh, n.Zh), En: fmt.Sprintf("%s must be %s", labelEn(f), n.En)}
}

func precisionMessage(f *Field) Text {
	return Text{
		Zh: fmt.Sprintf("%s最多保留 %d 位小数", f.Label.Zh, f.Precision),
		En: fmt.Sprintf("%s allows at most %d decimal places", labelEn(f), f.Precision),
	}
}

func patternMessage(f *Field) Text {
	return Text{Zh: f.Label.Zh + "格式不正确", En: labelEn(f) + " is not in the expected format"}
}

func notRelevantMessage(f *Field) Text {
	return Text{
		Zh: f.Label.Zh + "在当前填报情况下不适用，请清空",
		En: labelEn(f) + " does not apply to these answers: leave it empty",
	}
}

func rowsMessage(f *Field, min bool, n int) Text {
	if min {
		return Text{Zh: fmt.Sprintf("%s至少需要 %d 行", f.Label.Zh, n), En: fmt.Sprintf("%s needs at least %d rows", labelEn(f), n)}
	}
	return Text{Zh: fmt.Sprintf("%s最多 %d 行", f.Label.Zh, n), En: fmt.Sprintf("%s allows at most %d rows", labelEn(f), n)}
}

func unknownMessage(key string, section bool) Text {
	if section {
		return Text{Zh: fmt.Sprintf("表单中没有“%s”这一部分", key), En: fmt.Sprintf("the form has no section %q", key)}
	}
	return Text{Zh: fmt.Sprintf("表单中没有“%s”这一项", key), En: fmt.Sprintf("the form has no field %q", key)}
}

func invalidKeyMessage(key string) Text {
	return Text{
		Zh: fmt.Sprintf("键名“%s”无效：不能以 $ 开头或包含点号", key),
		En: fmt.Sprintf("key %q is invalid: keys may not start with $ or contain a dot", key),
	}
}

// decodeMessages are the messages of whole-submission decoding failures.
var decodeMessages = map[string]Text{
	"utf8":      {Zh: "提交内容不是有效的 UTF-8 文本", En: "the submission is not valid UTF-8"},
	"json":      {Zh: "提交内容不是有效的 JSON", En: "the submission is not valid JSON"},
	"type":      {Zh: "提交内容须为 JSON 对象", En: "the submission must be a JSON object"},
	"depth":     {Zh: "提交内容嵌套层级超出表单结构", En: "the submission is nested deeper than the form allows"},
	"too_long":  {Zh: "提交内容中的列表过长", En: "a list in the submission is too long"},
	"duplicate": {Zh: "提交内容中有重复的键", En: "the submission repeats a key"},
}

func sectionTypeMessage(code string) Text {
	return Text{Zh: fmt.Sprintf("“%s”部分须为 JSON 对象", code), En: fmt.Sprintf("section %q must be a JSON object", code)}
}

func rowTypeMessage(f *Field) Text {
	return Text{Zh: f.Label.Zh + "的每一行须为 JSON 对象", En: "each row of " + labelEn(f) + " must be a JSON object"}
}

// joinTexts joins several texts with the punctuation of each language.
func joinTexts(ts []Text) Text {
	zs, es := make([]string, len(ts)), make([]string, len(ts))
	for i, t := range ts {
		zs[i], es[i] = t.Zh, t.En
	}
	return Text{Zh: strings.Join(zs, "；"), En: strings.Join(es, "; ")}
}
