package extract

import "testing"

// TestLevels tells school-reportable items from bureau goals.
func TestLevels(t *testing.T) {
	tests := []struct{ sentence, want string }{
		{"完成12个新改扩建学校工程项目", LevelBureau},
		{"创建省级学前教育普及普惠示范区", LevelBureau},
		{"公办园在园幼儿占比达到50%", LevelBureau},
		{"支持63所农村小规模学校食堂运行", LevelBureau},
		{"争创国家学前教育普及普惠县", LevelBureau},
		{"新建标准化心理辅导室3间", LevelBureau},
		{"持续推动全面从严治党向基层延伸,整治校园食品安全及膳食经费管理问题", LevelBureau},
		{"确保每位学生掌握技能新建学校", LevelBureau}, // names nothing a school could report
		{"实现教室照明达标率100%", LevelSchool},
		{"每月开展学生欺凌苗头线索排查上报并及时处置", LevelSchool},
		{"课后服务每周素质拓展服务时间占比要达到50%以上", LevelSchool},
		{"确保每位教师每年至少接受20学时的师德培训", LevelSchool},
	}
	for _, tt := range tests {
		cs := candidates("", "", tt.sentence)
		if len(cs) == 0 {
			t.Errorf("%q: no candidate", tt.sentence)
			continue
		}
		for _, c := range cs {
			if c.Level != tt.want {
				t.Errorf("%q: part %q level %s, want %s", tt.sentence, c.Phrase, c.Level, tt.want)
			}
		}
	}
}
