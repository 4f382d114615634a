/* demo_names.c -- the const word tables the demo caseload draws from: given
 * and family names (with letters beyond Latin-1, apostrophes and hyphens),
 * ethnicities, areas with their courts and treatment providers, offences,
 * and the phrases of absences, warnings, reviews, notes and PSR
 * assessments. Data only; src/demo.c does the drawing. Some phrases
 * deliberately carry characters that are special in XML, PDF and shells
 * (& < > " ' ( ) \ $ `) so every document path is exercised by them.
 */
#include "demo_int.h"

const char *const demo_given_male[] = {
    "James", "Daniel", "Lee", "Craig", "Paul", "Wayne", "Mohammed", "Darren",
    "Jason", "Marcus", "Łukasz", "Tomasz", "Γιάννης", "Дмитрий", "Kwame",
    "Ryan", "Liam", "Kieran", "Şükrü", "Ádám", "Seán", "Connor", "Tyrone",
    "Imran", "Gary", "Stuart", "Jean-Luc", "Ödön", NULL
};
const char *const demo_given_female[] = {
    "Zoë", "Sarah", "Kelly", "Michelle", "Amy", "Leanne", "Gemma", "Siobhán",
    "Анна", "Ελένη", "Małgorzata", "Réka", "Nadia", "Chantelle", "Jodie",
    "Aisling", "Mary-Jane", "Şebnem", NULL
};
const char *const demo_family[] = {
    "Smith", "Jones", "O'Brien", "D'Souza", "Łukasiewicz", "Szőke", "Şahin",
    "Kowalczyk", "Papadopoulos", "Коваленко", "Williams", "Brown", "Taylor",
    "McAllister", "Okafor", "Patel", "Khan", "Hughes", "Walsh", "O'Neill",
    "Nowak", "Murphy", "Campbell", "Ahmed", "Evans", "Wright",
    "Fitzgerald-Hayes", "Ní Bhriain", "Παπαδάκης", "Wiśniewski", NULL
};
const char *const demo_ethnicity[] = {
    "White British", "White British", "White British", "White British",
    "White British", "White Irish", "White Other", "Black Caribbean",
    "Black African", "Asian Pakistani", "Asian Indian", "Asian Bangladeshi",
    "Mixed White and Black Caribbean", "Gypsy or Irish Traveller", "Other", NULL
};

const demo_area demo_areas[] = {
    {"London", "Lambeth DRR team", "Inner London Crown Court",
     "Camberwell Green Magistrates' Court", "Brixton Drug Service",
     {"HHJ Patel", "HHJ Whitfield-Jones", "DJ (MC) Ahmed"}},
    {"Greater Manchester", "Manchester North DRR team",
     "Manchester Crown Court (Minshull Street)", "Manchester and Salford Magistrates' Court",
     "Turning Point Manchester", {"HHJ O'Sullivan", "HHJ Grant", "Recorder Łoś"}},
    {"West Yorkshire", "Leeds DRR team", "Leeds Crown Court", "Leeds Magistrates' Court",
     "Forward Leeds", {"HHJ Marson", "HHJ Kaur", "DJ (MC) D'Arcy"}},
    {"West Midlands", "Birmingham Central DRR team", "Birmingham Crown Court",
     "Birmingham Magistrates' Court", "CGL Birmingham",
     {"HHJ Shaw", "HHJ Mensah", "DJ (MC) Szabó"}},
    {NULL, NULL, NULL, NULL, NULL, {NULL, NULL, NULL}}
};

const char *const demo_officers[] = {
    "Sam Okafor", "Priya Nair", "Tomasz Wiśniewski", "Rachel O'Connell",
    "Femi Adeyemi", "Claire Dubois", "Gareth Llewellyn", "Aoife Ní Mhaoil", NULL
};
const char *const demo_keyworkers[] = {
    "Ade Lee", "Jo Marsh", "Karim Haddad", "Beth Ó Súilleabháin", "Dev Mistry", NULL
};

const char *const demo_offences[] = {
    "Burglary (dwelling)", "Theft from a shop", "Robbery",
    "Possession with intent to supply (Class A)", "Handling stolen goods",
    "Fraud by false representation", "Theft from a motor vehicle",
    "Burglary (non-dwelling)", "Theft from the person", NULL
};

const char *const demo_reason_acceptable[] = {
    "Evidenced illness: GP fit note seen.",
    "Childcare: child sent home from school ill; school confirmed.",
    "Transport: no buses (strike); checked with the operator.",
    "Conflicting appointment: hospital outpatient clinic (letter seen).",
    "Conflicting appointment: Jobcentre interview, letter produced.",
    NULL
};
const char *const demo_reason_unacceptable[] = {
    "No contact; not at hostel when visited.",
    "Said they \"forgot\" & were \"busy\"; no evidence offered.",
    "Phone off; no reply to text or letter.",
    "Claimed illness; no evidence provided within 7 days.",
    "Overslept after using the night before (admitted).",
    NULL
};

/* Warning texts: the complete ones carry all three things drr-2020 asks
 * (the circumstances, "unacceptable", another failure within 12 months of
 * the warning means court); %s is the long date of the failure. */
const char *const demo_warning_complete[] = {
    "On %s you failed to comply with your order: you did not attend as instructed "
    "and gave no reasonable excuse. This failure is unacceptable. If you fail to "
    "comply again within 12 months of the date of this warning, you will be "
    "returned to court.",
    "Formal warning. On %s you did not keep your appointments or provide a sample "
    "as required. I have decided this failure is unacceptable. Any further failure "
    "within 12 months of this warning will be referred to the court for breach.",
    NULL
};
const char *const demo_warning_incomplete[] = {
    "Final warning letter sent (%s).",
    "Warned by phone about the missed appointment on %s; letter to follow.",
    NULL
};

const char *const demo_decision_text[] = {
    "Persistent positive tests counted as a failure to comply: no reduction in use "
    "and no engagement with the prescribing plan.",
    "Repeated positive results show an inability to engage at present; counted as "
    "a failure to comply after discussion with the treatment provider.",
    NULL
};

/* Review comments and directions by progress band (good, mixed, poor). */
const char *const demo_comments[3][4] = {
    {"Excellent progress; the court is encouraged. Keep it up.",
     "Attendance is much improved & the tests are moving the right way.",
     "Tests \"mostly negative\" (3 of 4) -- well done.",
     "A real change since the last review; the court is pleased."},
    {"Some progress, but the missed groups must stop. The court expects full attendance.",
     "Mixed: better attendance, yet the tests show continued use of crack.",
     "The court notes the housing difficulties but expects engagement to improve.",
     "A hesitant start; the court expects full attendance."},
    {"The court is concerned: attendance is poor and the tests are positive. "
     "This is the last chance before breach proceedings.",
     "No progress since the last review. The court warns that the order is at risk.",
     "Poor attendance & refusals to test; the court will not tolerate this.",
     "The court has read the report with concern."},
};
const char *const demo_directions[3][3] = {
    {"Continue as now.",
     "Consider a paper review next time if progress holds.",
     "Keep up the attendance; continue the reduction plan."},
    {"Attend every group session; address housing with the hostel key worker.",
     "Provide every sample; the officer to report on crack use specifically.",
     "Engage with the prescribing review before the next hearing."},
    {"Attend all appointments; provide every sample; return in 2 weeks.",
     "The officer to consider breach action if any further failure.",
     "Full attendance required; report any change of address within 24 hours."},
};

/* Note sentences by kind and band. */
const char *const demo_note_progress[3][3] = {
    {"Attended every session this period, punctual and engaged.",
     "Now volunteering two mornings a week; reports cravings under control.",
     "Reconnected with family (weekly contact with children)."},
    {"Attended most sessions; late twice, once with a reason.",
     "Still using crack at weekends by own account; heroin use reduced.",
     "Housing remains unstable; hostel place at risk after arrears."},
    {"Missed most sessions this period; contact only by phone.",
     "Presented under the influence at group; sent home.",
     "Says they \"can't see the point\" of the order at present."},
};
const char *const demo_note_provider[3][2] = {
    {"Provider: engaging well with keywork and group; methadone dose stable and reducing.",
     "Provider: no concerns; recommends continuing the present plan."},
    {"Provider: engagement patchy; attends keywork but avoids groups.",
     "Provider: dose under review; some on-top use reported."},
    {"Provider: little engagement; two keywork sessions missed, script at risk.",
     "Provider: concerned about injecting risk; naloxone supplied."},
};
const char *const demo_note_assessment[3][2] = {
    {"Attitude to the order is positive; takes responsibility and plans ahead.",
     "Response to the order is good: open about lapses and using the support offered."},
    {"Attitude ambivalent: wants to change but struggles with structure.",
     "Response mixed; motivation varies with housing and relationships."},
    {"Attitude poor: minimises use and blames others for missed appointments.",
     "Response to the order is poor; little evidence of motivation to change."},
};
const char *const demo_note_recommendation[3][2] = {
    {"Recommend the order continues; the court may consider a paper review.",
     "Recommend the order continues unchanged; good progress."},
    {"Recommend the order continues with a focus on group attendance.",
     "Recommend continuing; the officer will review intensity next month."},
    {"Recommend the order continues for now with a firm warning from the court.",
     "The officer is considering breach action; the court is asked to note the position."},
};
const char *const demo_note_contact[] = {
    "Home visit: no answer; card left.",
    "Phoned twice, text sent; no reply.",
    "Letter sent asking for contact within 2 working days.",
    "Spoke to hostel staff: not seen since the weekend.",
    NULL
};
const char *const demo_note_breach[] = {
    "I am the supervising officer. The failures listed were not explained by any "
    "reasonable excuse despite the warning given. I ask the court to deal with the breach.",
    "The offender has failed to comply with the requirements of the order on the dates "
    "listed, after a formal warning. Breach proceedings are initiated.",
    NULL
};

/* The special-character sentence, and the paragraphs of very long notes. */
const char demo_special_text[] =
    "Said at interview: \"I can't do mornings & that's that\" (sic). Owes $200? No -- "
    "£200 to a dealer < 1 week ago, > before the last review; phone showed C:\\Users\\ and "
    "a `rm -rf` joke; 50% of 'rent' unpaid.";
const char *const demo_long_paragraphs[] = {
    "This assessment covers the whole period since the last review and, because the "
    "court asked for a fuller picture, the order as a whole. Attendance has improved "
    "steadily: in the first weeks several group sessions were missed without reason, "
    "including one day when three appointments were missed together, which was dealt "
    "with by a formal warning. Since then attendance at probation and keywork sessions "
    "has been close to complete, with the few absences explained and evidenced.",
    "Drug use has reduced rather than stopped, which is what the treatment plan "
    "expected at this stage. Heroin use is down from daily to occasional by the "
    "offender's own account, and the tests agree: the share of tests negative for "
    "opiates has risen month by month. Crack use is more stubborn and is linked to "
    "particular people and places; the keyworker is working on this with relapse "
    "prevention sessions and a plan for weekends, when most use happens.",
    "The methadone prescription is stable and the prescriber is willing to begin a "
    "slow reduction once the offender feels ready. Positive results for methadone are "
    "prescribed and are not illicit use. There has been no evidence of on-top use of "
    "benzodiazepines for three months, which is a real change from the start of the "
    "order when most samples were positive for them.",
    "Housing remains the main risk to progress. The hostel placement is temporary and "
    "the offender has been told that the room may be needed for someone else. A "
    "referral to the council's housing team has been made and chased twice; the "
    "officer will report on the outcome at the next review. Losing the hostel place "
    "would put attendance and the prescription at risk.",
    "Attitude to supervision is much better than at the start. The offender now "
    "arrives on time, talks openly about lapses rather than hiding them, and has "
    "begun to plan ahead: for example by arranging childcare before group days and "
    "telling the officer in advance about a hospital appointment that clashed with a "
    "session. This is the kind of change the order is meant to bring about.",
    "Family contact has resumed with supervised visits to the children twice a month, "
    "arranged through the local authority. The offender describes this as the main "
    "reason to stay off heroin, and the keyworker agrees that it is a strong motivator. "
    "There have been no new offences and no police contact since the order was made, "
    "according to the police national computer check completed this week.",
    "Physical health: hepatitis C treatment has started at the liver clinic and the "
    "offender has attended every appointment there. Mental health: low mood continues "
    "and the GP has increased the antidepressant dose; a referral to talking therapies "
    "has been made. These appointments are treated as acceptable reasons for absence "
    "when they clash with the order, and the evidence is kept on file.",
    "Looking ahead, the plan for the next period is: keep attending all sessions; "
    "complete the relapse prevention module; attend the housing appointment; and "
    "discuss a methadone reduction with the prescriber. The officer will keep the "
    "court informed of any failure promptly, and the offender understands that any "
    "unacceptable failure will be dealt with under the rules of the order.",
    "Testing: every sample due this period was given, and none was dilute. The "
    "results are set out in the report; the methadone found is prescribed and is not "
    "counted against the order. Two samples were positive for cocaine, both after "
    "weekends, and were discussed at the next keywork session rather than left to "
    "the review.",
    "Group work: the offender now attends the Tuesday and Thursday groups and has "
    "begun to speak in them. The facilitator reports that the offender helped a newer "
    "member through a difficult session, which is a marked change from the first "
    "weeks, when the offender sat apart and left early twice.",
    "Money: benefit payments were sanctioned for a month after a missed job centre "
    "appointment, which coincided with the one day of missed appointments in this "
    "period. The sanction has ended, a budgeting plan is in place with the hostel's "
    "support worker, and debts to a local dealer are said to be cleared.",
    "Relationships: the offender has ended contact with a former partner who still "
    "uses, and has chosen to avoid the area where the partner lives. This has meant "
    "a longer journey to the provider's premises, and a bus pass has been arranged "
    "through the order so that cost is not a reason to miss a session.",
    "Education and work: a literacy assessment at the hostel found the offender at "
    "entry level 3 in reading. The offender has enrolled on a short course at the "
    "community college that fits around the order's appointments, and has asked "
    "about volunteering at the food bank once the course ends.",
    "Risk: the assessed risk of serious harm remains medium, to the public and to "
    "known adults, because of the robbery in the offending history. Nothing in this "
    "period raises that risk; the main driver of reoffending remains drug use, and "
    "the reduction in use set out above lowers the likelihood of reoffending.",
    "Compliance with the standard: the contact hours required in this phase of the "
    "order were met in every complete week except the week of the missed day, and "
    "the testing required was met in every week. The officer has checked the "
    "provider's attendance records against the probation record; they agree.",
    "Views of the offender: asked what has helped, the offender names the daily "
    "structure, the methadone and the keyworker's honesty. Asked what would help "
    "next, the offender asks for a move to settled housing and a later appointment "
    "time on Mondays, which the officer is arranging with the provider.",
    "Conclusion: this is an order that is working. Progress is real but not yet "
    "secure: crack use continues at weekends and housing is not settled. The "
    "officer's view is that the order should continue at its present intensity for "
    "at least the next period, with the court's encouragement.",
    NULL
};

/* PSR assessment phrases. */
const char *const demo_offending_link[] = {
    "Shoplifting and burglary to fund use.",
    "Robbery committed while in withdrawal, to buy heroin.",
    "Supplying small amounts to fund own use of crack.",
    "Fraud using a stolen card; proceeds spent on drugs the same day.",
    NULL
};
const char *const demo_dependency[] = {
    "Dependent on heroin for years; withdrawal on remand.",
    "Daily crack use for 3 years with binges; no physical withdrawal but strong cravings.",
    "Heroin dependent since the late teens; injecting until last year; now smoking.",
    "Long-term dependence on heroin and crack; an overdose two years ago.",
    NULL
};
const char *const demo_motivation[] = {
    "Does not see drug use as a problem at present.",
    "Thinking about change; worried about the children.",
    "Asked for help on remand and has a plan with the provider.",
    "Has stopped heroin for six weeks with a script; wants to keep going.",
    "Abstinent for a year before the relapse that led to this offence.",
    NULL
};
const char *const demo_health_mental[] = {
    "Low mood, under GP.", "Anxiety; no current treatment.",
    "Diagnosed depression; on sertraline.", "No concerns reported.", NULL
};
const char *const demo_health_physical[] = {
    "Hepatitis C, untreated.", "Abscess on leg (injecting site), healing.",
    "Asthma.", "No concerns reported.", NULL
};
const char *const demo_episode_kind[] = {
    "methadone", "detox", "residential rehab", "structured day programme", NULL
};
const char *const demo_episode_outcome[] = {
    "dropped out", "completed", "relapsed after 3 months", "discharged for non-attendance", NULL
};
const char *const demo_proposal_text[] = {
    "Structured day programme, substitute prescribing, twice-weekly testing.",
    "Keywork and group work with the provider, weekly testing, monthly reviews.",
    "Prescribing review, relapse prevention group, testing as the standard requires.",
    NULL
};

size_t demo_count(const char *const *table)
{
    size_t n = 0;
    while (table[n]) n++;
    return n;
}
