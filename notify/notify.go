// Package notify sends reminder messages to chat-group webhooks: a generic
// JSON payload, the WeCom (企业微信) group robot and the DingTalk (钉钉) robot.
package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Formats of webhook messages.
const (
	Generic  = "generic"
	WeCom    = "wecom"
	DingTalk = "dingtalk"
)

// Formats lists every format.
var Formats = []string{Generic, WeCom, DingTalk}

// School is a school that has not submitted.
type School struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Contact string `json:"contact"`
	Phone   string `json:"phone"`
}

// Reminder is one message about a drive's missing schools.
type Reminder struct {
	Kind      string `json:"kind"` // before_due, overdue, chase, test
	Drive     string `json:"drive"`
	DriveName string `json:"driveName"`
	Period    string `json:"period"`
	// PeriodLabel is the period as people write it ("2026年12月"), which the
	// message shows; the key stays for machines reading the generic format.
	PeriodLabel string    `json:"periodLabel,omitempty"`
	DueAt       time.Time `json:"dueAt"`
	Org         string    `json:"org"`
	OrgName     string    `json:"orgName"`
	Expected    int       `json:"expected"`
	Submitted   int       `json:"submitted"`
	Missing     []School  `json:"missing"`
	// Return is what came back, for kinds returned (a school's submission)
	// and unit_returned (a unit's sign-off).
	Return *Return `json:"return,omitempty"`
	// Units are the late units named by an escalation to a higher level.
	Units []Unit `json:"units,omitempty"`
}

// Unit is a unit with late schools.
type Unit struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Late int    `json:"late"`
}

// Return names what was sent back, by whom's comment, and where to act.
type Return struct {
	Code        string `json:"code"` // the school, or the unit
	Name        string `json:"name"`
	PeriodLabel string `json:"periodLabel"`
	Comment     string `json:"comment"`
	Link        string `json:"link,omitempty"`
}

// Text is the reminder as a chat message in Chinese.
func (r Reminder) Text(loc *time.Location) string {
	if r.Kind == "test" {
		return fmt.Sprintf("【测试消息】%s的填报提醒将发到这里。", r.OrgName)
	}
	if rt := r.Return; rt != nil {
		return returnText(r, rt)
	}
	var b strings.Builder
	head := map[string]string{"before_due": "填报提醒", "overdue": "逾期提醒", "chase": "催报", "escalate": "逾期升级催报"}[r.Kind]
	if head == "" {
		head = "填报提醒"
	}
	period := r.PeriodLabel
	if period == "" {
		period = r.Period
	}
	fmt.Fprintf(&b, "【%s】%s %s 截止 %s\n", head, period, r.DriveName, r.DueAt.In(loc).Format("2006年1月2日 15:04"))
	fmt.Fprintf(&b, "%s：应报 %d 所，已报 %d 所，未报 %d 所。\n", r.OrgName, r.Expected, r.Submitted, len(r.Missing))
	for _, u := range r.Units {
		fmt.Fprintf(&b, "· %s：%d 所未报\n", u.Name, u.Late)
	}
	const shown = 30
	for i, s := range r.Missing {
		if i == shown {
			fmt.Fprintf(&b, "……等共 %d 所\n", len(r.Missing))
			break
		}
		fmt.Fprintf(&b, "%d. %s（%s）%s %s\n", i+1, s.Name, s.Code, s.Contact, s.Phone)
	}
	return strings.TrimRight(b.String(), "\n")
}

// returnText tells the group that a submission or a sign-off came back.
func returnText(r Reminder, rt *Return) string {
	var b strings.Builder
	if r.Kind == "unit_returned" {
		fmt.Fprintf(&b, "【签收退回】%s %s\n%s的签收已被上级退回，请复核后重新签收。\n退回意见：%s", rt.PeriodLabel, r.DriveName, rt.Name, rt.Comment)
	} else {
		fmt.Fprintf(&b, "【填报退回】%s %s\n%s（%s）的填报已被退回，请修改后重新提交。\n退回意见：%s", rt.PeriodLabel, r.DriveName, rt.Name, rt.Code, rt.Comment)
	}
	if rt.Link != "" {
		fmt.Fprintf(&b, "\n%s", rt.Link)
	}
	return b.String()
}

// Body returns the request body of a reminder in a format.
func Body(format string, r Reminder, loc *time.Location) ([]byte, error) {
	text := r.Text(loc)
	var mobiles []string
	for i, s := range r.Missing {
		if i == 30 {
			break
		}
		if s.Phone != "" {
			mobiles = append(mobiles, s.Phone)
		}
	}
	switch format {
	case WeCom:
		return json.Marshal(map[string]any{"msgtype": "text", "text": map[string]any{
			"content": text, "mentioned_mobile_list": mobiles}})
	case DingTalk:
		return json.Marshal(map[string]any{"msgtype": "text", "text": map[string]any{"content": text},
			"at": map[string]any{"atMobiles": mobiles, "isAtAll": false}})
	case Generic:
		return json.Marshal(map[string]any{"event": "tianbao.reminder", "reminder": r, "text": text})
	}
	return nil, fmt.Errorf("notify: unknown format %q", format)
}
