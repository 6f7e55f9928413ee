/// A morning in a small emergency department, as an event stream: what `triage-board` runs when it is given
/// no file, and what `triage-board --sample` prints. Identifiers are attendance numbers, not NHS numbers.
let sampleStream = """
    {"time":"2026-11-25T08:00:00Z","event":"arrival","patient":"ED-0101","category":"green","triagedBy":"triage-rn","mode":"walk-in"}
    {"time":"2026-11-25T08:04:00Z","event":"arrival","patient":"ED-0102","category":"yellow","triagedBy":"triage-rn","mode":"ambulance"}
    {"time":"2026-11-25T08:05:00Z","event":"observations","patient":"ED-0102","respirationRate":18,"oxygenSaturation":96,"airOrOxygen":"air","systolicBloodPressure":128,"pulse":88,"consciousness":"A","temperature":37.2}
    {"time":"2026-11-25T08:06:00Z","event":"treatment","patient":"ED-0102"}
    {"time":"2026-11-25T08:10:00Z","event":"arrival","patient":"ED-0103","category":"blue","triagedBy":"triage-rn","mode":"walk-in"}
    {"time":"2026-11-25T08:12:00Z","event":"arrival","patient":"ED-0104","category":"orange","triagedBy":"triage-rn","mode":"ambulance"}
    {"time":"2026-11-25T08:13:00Z","event":"treatment","patient":"ED-0104"}
    {"time":"2026-11-25T08:20:00Z","event":"arrival","patient":"ED-0105","category":"green","triagedBy":"triage-rn","mode":"referred"}
    {"time":"2026-11-25T08:25:00Z","event":"observations","patient":"ED-0105","respirationRate":23,"oxygenSaturation":94,"airOrOxygen":"air","systolicBloodPressure":104,"pulse":112,"consciousness":"A","temperature":38.4}
    {"time":"2026-11-25T08:26:00Z","event":"observations","patient":"ED-0101","respirationRate":16,"oxygenSaturation":98,"pulse":76}
    {"time":"2026-11-25T08:30:00Z","event":"arrival","patient":"ED-0106","category":"yellow","triagedBy":"triage-rn","mode":"ambulance"}
    {"time":"2026-11-25T08:31:00Z","event":"treatment","patient":"ED-0105"}
    {"time":"2026-11-25T08:40:00Z","event":"observations","patient":"ED-0106","respirationRate":26,"oxygenSaturation":91,"airOrOxygen":"oxygen","systolicBloodPressure":96,"pulse":124,"consciousness":"C","temperature":38.9}
    {"time":"2026-11-25T08:45:00Z","event":"retriage","patient":"ED-0103","category":"yellow","clinician":"ed-registrar","reason":"pain worse on review"}
    {"time":"2026-11-25T09:15:00Z","event":"departure","patient":"ED-0102"}
    {"time":"2026-11-25T09:16:00Z","event":"treatment","patient":"ED-0106"}
    {"time":"2026-11-25T09:20:00Z","event":"arrival","patient":"ED-0107","category":"green","triagedBy":"triage-rn","mode":"ambulance"}
    {"time":"2026-11-25T10:30:00Z","event":"arrival","patient":"ED-0108","category":"yellow","triagedBy":"triage-rn","mode":"walk-in"}
    """
