"""Crisis intent: which urgent kinds a search touches, and which urgent lines follow.

Crisis detection is correctness, not ranking: every phrasing here must fire with the right
kinds, and every ordinary search must not. Add a case for each phrase staff add to
data/crisis_phrases.json (its "about" says how).
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hub.crisis import (
    CRISIS_KINDS,
    CrisisPhrasesError,
    _fills_apart,
    _has_run,
    crisis_kinds,
    load_crisis_phrases,
    parse_crisis_phrases,
    urgent_lines_for,
)
from hub.locations import bundled_file
from hub.models import UrgentHelp
from hub.needs import NeedsFileError, load_urgent
from hub.urgent import load_urgent_help, urgent_lines_to_check
from tests.crisis_kinds import ADULT, CHILD, DANGER, DOMESTIC, SEXUAL, SLAVERY, SUICIDE
from tests.unit.test_crisis_meaning import EVERYDAY, MEANT

# (what a visitor might type, the kinds it must touch). The query may touch more kinds
# than listed only where the test says so below; these are the kinds that must be there.
CRISIS: list[tuple[str, set[str]]] = [
    # the issue's own examples
    ("suicide", {SUICIDE}),
    ("kill myself", {SUICIDE}),
    ("self harm", {SUICIDE}),
    ("suicdal", {SUICIDE}),
    ("self harmming", {SUICIDE}),
    ("kil myself", {SUICIDE}),
    ("life isn't worth living", {SUICIDE}),
    ("life isnt worth living", {SUICIDE}),
    ("I just want to disappear", {SUICIDE}),
    ("everyone would be better off without me", {SUICIDE}),
    ("he checks my phone and takes my wages", {DOMESTIC}),
    ("I'm scared to go home", {DOMESTIC}),
    ("my son is self harming", {CHILD, SUICIDE}),
    ("my partner hits me", {DOMESTIC}),
    ("my carer takes my pension", {ADULT}),
    ("my friend took too many pills", {DANGER}),
    # suicide and self-harm, said many ways
    ("I feel suicidal", {SUICIDE}),
    ("SUICIDAL THOUGHTS", {SUICIDE}),
    ("sucidal", {SUICIDE}),
    ("thinking about killing myself", {SUICIDE}),
    ("i want to end my life", {SUICIDE}),
    ("i want to die", {SUICIDE}),
    ("i dont want to be alive anymore", {SUICIDE}),
    ("I don't want to live any more", {SUICIDE}),
    ("i do not want to live", {SUICIDE}),
    ("no reason to live", {SUICIDE}),
    ("whats the point in living", {SUICIDE}),
    ("i cant go on anymore", {SUICIDE}),
    ("I can't take it anymore", {SUICIDE}),
    ("wish i was dead", {SUICIDE}),
    ("they'd all be better off without me", {SUICIDE}),
    ("I'm a burden to everyone", {SUICIDE}),
    ("i keep hurting myself", {SUICIDE}),
    ("i cut myself", {SUICIDE}),
    ("self-harm support", {SUICIDE}),
    ("selfharm", {SUICIDE}),
    ("my daughter cuts herself", {CHILD, SUICIDE}),
    ("my friend wants to kill himself", {SUICIDE}),
    ("myslef kill", {SUICIDE}),
    ("samaritans number", {SUICIDE}),
    ("thinking of ending it", {SUICIDE}),
    ("i am in crisis", {SUICIDE}),
    ("mental health crisis team", {SUICIDE}),
    ("i feel like giving up on life", {SUICIDE}),
    ("no one would miss me", {SUICIDE}),
    ("i want to sleep and never wake up", {SUICIDE}),
    # domestic abuse
    ("domestic abuse", {DOMESTIC}),
    ("domestic violance", {DOMESTIC}),
    ("my husband beats me", {DOMESTIC}),
    ("my boyfriend hit me last night", {DOMESTIC}),
    ("my wife is violent", {DOMESTIC}),
    ("he won't let me see my friends", {DOMESTIC}),
    ("she controls all my money", {DOMESTIC}),
    ("my partner takes my benefits", {DOMESTIC}),
    ("scared of my husband", {DOMESTIC}),
    ("afraid to go back home", {DOMESTIC}),
    ("not safe at home", {DOMESTIC}),
    ("abusive relationship", {DOMESTIC}),
    ("coercive control", {DOMESTIC}),
    ("i am being abused", {DOMESTIC}),
    ("need a refuge", {DOMESTIC}),
    ("he threatens me", {DOMESTIC}),
    ("my ex is stalking me", {DOMESTIC}),
    ("my husband shouts at me", {DOMESTIC}),
    ("my partner pushes me around", {DOMESTIC}),
    ("my son hits me", {DOMESTIC}),
    ("my dad is abusive", {DOMESTIC, CHILD}),
    # a child at risk
    ("worried about a child", {CHILD}),
    ("child abuse", {CHILD}),
    ("my dad hits me", {CHILD, DOMESTIC}),
    ("my stepdad hurts me", {CHILD}),
    ("someone is hurting my son", {CHILD}),
    ("my partner hits the kids", {CHILD, DOMESTIC}),
    ("my daughter is being groomed online", {CHILD, SEXUAL}),
    ("neglected children next door", {CHILD}),
    ("childline", {CHILD}),
    # sexual violence
    ("rape", {SEXUAL}),
    ("i was raped", {SEXUAL}),
    ("sexually assaulted", {SEXUAL}),
    ("sexual abuse as a child", {SEXUAL}),
    ("my uncle touched me", {SEXUAL, CHILD}),
    ("he touched me inappropriately", {SEXUAL}),
    ("my drink was spiked", {SEXUAL}),
    ("forced me to have sex", {SEXUAL}),
    ("someone touched me on the bus", {SEXUAL}),
    ("he forced himself on me", {SEXUAL}),
    # abuse of an older or disabled adult
    ("elder abuse", {ADULT}),
    ("my son takes my pension", {ADULT}),
    ("carer is rough with my mum", {ADULT}),
    ("my carer steals from me", {ADULT}),
    ("my nan is being neglected in her care home", {ADULT}),
    ("someone is taking my dad's money", {ADULT}),
    ("my mum is being taken advantage of", {ADULT}),
    ("my grandson takes my bank card", {ADULT}),
    ("my daughter stole my money", {ADULT}),
    # danger now, medical emergency
    ("overdose", {DANGER}),
    ("overdosed", {DANGER}),
    ("she swallowed a whole packet of paracetamol", {DANGER}),
    ("he has taken too many tablets", {DANGER}),
    ("he is going to kill me", {DANGER, DOMESTIC}),
    ("my husband threatened to kill me", {DANGER, DOMESTIC}),
    ("i am in danger", {DANGER}),
    ("my friend is unconscious", {DANGER}),
    ("my dad collapsed", {DANGER}),
    ("someone is not breathing", {DANGER}),
    ("he's got a knife", {DANGER}),
    ("call an ambulance", {DANGER}),
    ("the flat is on fire", {DANGER}),
    ("someone is trying to break in", {DANGER}),
    ("my baby isn't breathing", {DANGER}),
    ("she's having a seizure", {DANGER}),
    ("she took loads of tablets", {DANGER}),
    # widened from meaning (2026-12-01): danger now, said the ways people say it:
    # weapons, someone at the door, fire, collapse, bleeding, breathing, overdose, poison
    ("a man outside my flat is waving a knife", {DANGER}),
    ("theres a guy with a gun in the street", {DANGER}),
    ("my neighbour pulled a machete on me", {DANGER}),
    ("someone got stabbed outside the shop", {DANGER}),
    ("i think my brother has been shot", {DANGER}),
    ("people are kicking my door in", {DANGER}),
    ("someone is trying to get into my flat through the window", {DANGER}),
    ("a gang is threatening us", {DANGER}),
    ("a man has been following me home", {DANGER}),
    ("my ex is outside my house banging on the door", {DANGER}),
    ("he said he will stab me", {DANGER}),
    ("the kitchen is on fire", {DANGER}),
    ("theres a fire in the flat below", {DANGER}),
    ("smoke pouring out of next door", {DANGER}),
    ("someone set fire to the bins by my door", {DANGER}),
    ("my dad is having chest pains and sweating", {DANGER}),
    ("i think my husband is having a heart attack", {DANGER}),
    ("her face is drooping and her speech is slurred", {DANGER}),
    ("my baby is choking", {DANGER}),
    ("my mum is on the floor and wont wake up", {DANGER}),
    ("i cant wake him up", {DANGER}),
    ("my friend passed out and isnt responding", {DANGER}),
    ("he is bleeding a lot from his head", {DANGER}),
    ("there is blood everywhere", {DANGER}),
    ("my son is struggling to breathe", {DANGER}),
    ("her lips are going blue", {DANGER}),
    ("my toddler swallowed a battery", {DANGER}),
    ("she drank bleach", {DANGER}),
    ("i think ive been poisoned", {DANGER}),
    ("my flatmate od on heroin", {DANGER}),
    ("i took a whole box of paracetamol", {DANGER, SUICIDE}),
    ("i have swallowed all my antidepressants", {DANGER, SUICIDE}),
    ("my mate has taken a load of his mums pills", {DANGER, SUICIDE}),
    ("he had too much methadone", {DANGER}),
    ("i over dosed", {DANGER, SUICIDE}),
    ("nan fell and cant get up", {DANGER}),
    ("my throat is swelling after eating nuts", {DANGER}),
    ("i want to jump off the bridge", {DANGER, SUICIDE}),
    ("i want to hurt someone", {DANGER}),
    ("call an ambulance please", {DANGER}),
    # abuse of an older or disabled adult by someone they know: money taken, kept or
    # controlled, rough handling, neglect, left alone, locked in
    ("my grandson keeps taking money out of my purse", {ADULT}),
    ("my son uses my bank card without asking", {ADULT}),
    ("my daughter wont give me back my pension", {ADULT}),
    ("my nephew controls all my money", {ADULT}),
    ("the care home staff are rough with my dad", {ADULT}),
    ("carers shout at my nan and leave her alone all day", {ADULT}),
    ("they wont let me see my grandchildren unless i pay them", {ADULT}),
    ("my son took out a loan in my name", {ADULT}),
    ("my brother has learning disabilities and his friends steal his money", {ADULT}),
    ("drug dealers have taken over my uncles flat", {ADULT}),
    ("my mums carer is cruel to her", {ADULT}),
    ("the nursing home left my gran in soiled sheets", {ADULT}),
    ("my grandad is not being fed at his care home", {ADULT}),
    ("the staff lock my mum in her room", {ADULT}),
    ("my neighbour keeps my bank card and wont give it back", {ADULT}),
    ("my granddaughter hits me", {ADULT}),
    ("my nan is frightened of her grandson", {ADULT}),
    ("the carers dont wash my dad", {ADULT}),
    ("my sister is pressuring mum to change her will", {ADULT}),
    ("my family are taking advantage of my disabled brother", {ADULT}),
    ("someone is abusing my grandma", {ADULT}),
    ("my dads money keeps going missing since the new carer", {ADULT}),
    ("my son is misusing power of attorney", {ADULT}),
    ("my nan has unexplained bruises", {ADULT}),
    ("my son shouts at me and hits me", {ADULT, DOMESTIC}),
    ("my grandson demands money from me", {ADULT}),
    ("my nephew moved in and wont leave", {ADULT}),
    ("my daughter made me sign papers", {ADULT}),
    ("they keep my dad in his bed all day", {ADULT}),
    ("my son wont let me have my pension", {ADULT}),
    ("my son wont let my mum leave the house", {ADULT}),
    ("the care worker takes my money", {ADULT}),
    ("abuse in supported living", {ADULT}),
    ("my elderly neighbour is being bullied", {ADULT}),
    # domestic abuse: documents kept, walking on eggshells, isolation, threats, forced marriage
    ("my husband takes my passport", {DOMESTIC}),
    ("i walk on eggshells around my boyfriend", {DOMESTIC}),
    ("my wife gaslights me", {DOMESTIC}),
    ("he stops me seeing my family", {DOMESTIC}),
    ("my husband wont give me any money", {DOMESTIC}),
    ("he locks me in the house", {DOMESTIC}),
    ("my partner smashes things when hes angry", {DOMESTIC}),
    ("my ex wont leave me alone", {DOMESTIC}),
    ("he threatened to take the kids away", {DOMESTIC}),
    ("i dread going home", {DOMESTIC}),
    ("im being forced to marry", {DOMESTIC}),
    ("my partner belittles me", {DOMESTIC}),
    ("the children next door are always hungry and alone", {CHILD}),
    # a child at risk: left alone, not fed, marks, shaken, grooming, locked in, exploited
    ("my son ran away", {CHILD}),
    ("my daughter is missing", {CHILD}),
    ("kids left home alone next door", {CHILD}),
    ("a man keeps messaging my 12 year old", {CHILD}),
    ("my stepdad locks me in my room", {CHILD}),
    ("my son has unexplained bruises", {CHILD}),
    ("my partner shook the baby", {CHILD}),
    ("the baby next door is never fed", {CHILD}),
    ("fgm", {CHILD}),
    ("my son is selling drugs for older boys", {CHILD}),
    ("i dont want to be here", {SUICIDE}),
    # suicide and self-harm said indirectly, and self-harm in plain words
    ("im tired of life", {SUICIDE}),
    ("ive had enough of life", {SUICIDE}),
    ("i wish i could die", {SUICIDE}),
    ("no way out", {SUICIDE}),
    ("i cant see a future", {SUICIDE}),
    ("i want to sleep forever", {SUICIDE}),
    ("nobody would care if i died", {SUICIDE}),
    ("ive started cutting again", {SUICIDE}),
    ("i cut my wrists", {SUICIDE}),
    ("i punch myself", {SUICIDE}),
    ("i have been starving myself", {SUICIDE}),
    ("i want to hang myself", {SUICIDE}),
    ("i have written goodbye letters", {SUICIDE}),
    ("my friend wants to end her life", {SUICIDE}),
    ("thinking about ending things", {SUICIDE}),
    ("i cant live like this anymore", {SUICIDE}),
    ("life is pointless", {SUICIDE}),
    ("my boss touched my bum", {SEXUAL}),
    ("my driving instructor groped me", {SEXUAL}),
    # sexual violence: touched, groped, spiked, exposure, no consent, asked for nudes
    ("i think someone spiked me at the club", {SEXUAL}),
    ("a man exposed himself to me", {SEXUAL}),
    ("he had sex with me without my consent", {SEXUAL}),
    ("someone is asking me to send nudes", {SEXUAL}),
    ("my landlord wants sex for rent", {SEXUAL}),
    ("woke up naked and dont remember", {SEXUAL}),
    ("my teacher touched my daughter", {CHILD, SEXUAL}),
    ("my carer touches me", {SEXUAL}),
    # widened from meaning (2026-12-01, second round): asking how many pills it would take;
    # violence by any relative or in-law; online grooming; a child telling of touching;
    # misspellings of rape; money taken from an older or disabled person; forced labour
    ("how much paracetamol would it take", {SUICIDE}),
    ("how many tablets does it take to die", {SUICIDE}),
    ("lethal dose of my meds", {SUICIDE}),
    ("are 30 tablets enough to kill me", {SUICIDE}),
    ("what pills would kill me", {SUICIDE}),
    ("my brother in law beats my sister", {DOMESTIC}),
    ("my uncle hits my mum", {DOMESTIC}),
    ("my mum gets beaten by my brother", {DOMESTIC}),
    ("my stepdad kicks my brother", {DOMESTIC}),
    ("my daughter-in-law slaps my son", {DOMESTIC}),
    ("my sister is being hit by her brother in law", {DOMESTIC}),
    ("my father in law is violent to us", {DOMESTIC}),
    ("someone on snapchat keeps asking my daughter for pictures", {CHILD}),
    ("an older man online wants to meet my son", {CHILD}),
    ("a stranger on roblox told my boy to keep it a secret", {CHILD}),
    ("a man on a game keeps sending my son robux", {CHILD}),
    ("some guy wants pics of my 13 yr old", {CHILD}),
    ("someone on instagram is asking my niece for selfies", {CHILD}),
    ("my daughter says her uncle touches her", {CHILD, SEXUAL}),
    ("a boy in my class said his coach touched him", {CHILD, SEXUAL}),
    ("my niece told me her stepdad touches her", {CHILD, SEXUAL}),
    ("my friend says her dad hits her", {CHILD}),
    ("i got rapped last night", {SEXUAL}),
    ("he rapped me", {SEXUAL}),
    ("my friend was raeped", {SEXUAL}),
    ("i think i was rapd", {SEXUAL}),
    ("my gran is being robbed by her carers", {ADULT}),
    ("my uncle with dementia is being fleeced by his son", {ADULT}),
    ("her son spends all her pension", {ADULT}),
    ("my daughter emptied my bank account", {ADULT}),
    ("my grandson robs me", {ADULT}),
    ("my brother in law is stealing from my mum", {ADULT}),
    ("they are forcing my cousin to work for no pay", {SLAVERY}),
    ("his boss took his passport", {SLAVERY}),
    ("i think my neighbour has been trafficked", {SLAVERY}),
    ("my sister is made to work for free and cant leave", {SLAVERY}),
    ("modern slavery", {SLAVERY}),
    ("how many sleeping pills would it take", {SUICIDE}),
    ("what is a fatal amount of insulin", {SUICIDE}),
    ("my grandad hits my nan", {DOMESTIC}),
    ("my sister in law abuses my brother", {DOMESTIC}),
    ("some man keeps messaging my 11 year old asking for pics", {CHILD}),
    ("my son met an adult on discord who wants to meet him", {CHILD}),
    ("someone online told my daughter to keep secrets from me", {CHILD}),
    ("my son told me his uncle touches him", {CHILD, SEXUAL}),
    ("i got raiped", {SEXUAL}),
    ("she was rapped by her ex", {SEXUAL}),
    ("my dad has dementia and my brother is taking his pension", {ADULT}),
    ("my aunt is being conned by her nephew", {ADULT}),
    ("my son cleared out my savings", {ADULT}),
    ("they make my uncle work without pay", {SLAVERY}),
    ("my boss keeps my passport", {SLAVERY}),
]

# Ordinary searches at a community hub: none of these may show crisis lines.
NEUTRAL: list[str] = [
    # the issue's and the brief's examples
    "lunch club",
    "bingo",
    "benefits advice",
    "dementia café",
    "a warm space",
    "self help group",
    "kill time",
    "fire safety",
    "child care",
    "pill organiser",
    # what people look for at a hub
    "food bank",
    "fodbank",
    "dementa",
    "cant pay rent",
    "behind on rent",
    "skint",
    "universal credit",
    "pension credit",
    "my pension has not been paid",
    "help with my pension forms",
    "computer course",
    "english classes",
    "esol",
    "job club",
    "hearing aid drop in",
    "my sight is getting worse",
    "going deaf",
    "i had a fall",
    "i had a fall and hurt myself",
    "hurt my back lifting",
    "cut myself cooking",
    "unsteady on my feet",
    "my wife died",
    "grieving",
    "bereavement support",
    "just arrived in london",
    "refugee advice",
    "asylum seeker support",
    "rambling group",
    "allotment",
    "something to do in the day",
    "a chat with someone",
    "befriending",
    "lonely",
    "carers support group",
    "respite for carers",
    "my nan has dementia",
    "my son needs a school place",
    "my daughter has autism",
    "baby sitting",
    "toddler group",
    "stop smoking",
    "alcohol support",
    "drug and alcohol service",
    "end of life care",
    "stroke club",
    "heart health check",
    "blood pressure check",
    "chest infection",
    "emergency food parcel",
    "emergency housing",
    "in danger of losing my flat",
    "my ceiling collapsed",
    "warm hub",
    "tai chi",
    "knitting",
    "sign language class",
    "dog grooming",
    "legal advice",
    "domestic cleaning job",
    "pills for my blood pressure",
    "i take too many pills a day, medication review",
    "money advice",
    "debt help",
    "my husband hurt his back",
    "my son hit his head playing football",
    "keep in touch with me",
    "take my mum to the shops",
    "they stopped my benefits",
    "sitting service",
    "hitting the gym",
    "self employed advice",
    "better off calculator",
    "life skills",
    "living with dementia",
    "cooking on a budget",
    "knife crime awareness workshop",
    "first aid course",
    "disabled parking badge",
    "kids football",
    "swimming",
    "when does it end",
    "cost of living crisis",
    "help with the cost of living",
    "end of term",
    "give up smoking",
    "giving up alcohol",
    "miss my bus",
    "she shouts me a coffee",
    "pushchair friendly",
    "bite size learning",
    "breakfast club",
    "children in need",
    "odd jobs",
    "sleep clinic",
    "epilepsy support group",
    "my grandson takes me shopping",
    "my son takes my money to the post office for me",
    # look-alikes of the widened phrases (2026-12-01): the brief's, then our own
    "knife skills cooking class",
    "first aid course",
    "fire safety check",
    "pill organiser",
    "medication review",
    "carers allowance",
    "pension credit",
    "money advice for older people",
    "care home visiting",
    "stroke club",
    "heart health",
    "blood pressure check",
    "shooting club",
    "gun club",
    "knife sharpening",
    "knife crime prevention talk",
    "choking first aid for babies",
    "smoke alarm fitting",
    "fire door inspection in my block",
    "fire brigade home safety visit",
    "heart attack recovery group",
    "stroke survivors group",
    "cardiac rehab class",
    "breathing exercises class",
    "singing for lung health",
    "i get panic attacks can someone help me",
    "my dad had a heart attack last year",
    "flu shot",
    "covid booster shot",
    "photo shoot for my cv",
    "drowning in debt",
    "food poisoning",
    "rat poison for my shed",
    "i forget to take all my tablets",
    "help taking my medication",
    "returning old tablets to the pharmacy",
    "something odd on my bill",
    "attendance allowance",
    "lasting power of attorney",
    "help making a will",
    "care home fees",
    "my mum lives alone and needs befriending",
    "sitting service so my nan is not left alone all day",
    "my kids have left home and im lonely",
    "cant afford to feed my kids",
    "free school meals",
    "my son is missing school",
    "my daughter misses her dad",
    "my teenager wont wake up for school",
    "i cant wake up in the mornings",
    "my computer is not responding",
    "the council is not responding to my emails",
    "trying to get into college",
    "my son is trying to get into housing",
    "locked out of my flat",
    "new lock fitted on my front door",
    "smashed window repair",
    "blue badge",
    "cutting my hours at work",
    "hedge cutting",
    "heavy periods",
    "bleeding gums dentist",
    "end of life care for my dad",
    "palliative care at the end of his life",
    "no way out of my tenancy",
    "gas fire service",
    "i was fired from my job at the shop",
    "chest infection",
    "chest of drawers",
    "tight chest from asthma clinic",
    "choked up at the bereavement group",
    "scam awareness for older people",
    "my nan got a scam phone call",
    "disabled railcard discount",
    "my daughter helps me budget my money",
    "my son helps me with my bank card",
    "my son keeps my bank card safe",
    "my grandson takes me shopping",
    "taking my life back after addiction",
    "tired of living in a hostel",
    "i cant live like this with the damp",
    "spike in energy prices",
    "my blood sugar spikes",
    "his story touched me deeply",
    "ex offender support",
    "the bus took ages",
    "my baby isnt feeding well",
    "my son locks himself in his room",
    "stabbing pain in my knee",
    "shooting pains in my leg",
    "carers dont do the washing for me",
    "face to face drop in session",
    "my husband had a fall and hurt his back",
    "can my 12 year old stay home alone",
    "my nan has bruises from her blood thinners",
    "ambulance driver jobs",
    "medical emergency first aid course",
    "my daughter is afraid of my dads dog",
    "i care for my mum at home",
    "grandparents raising grandchildren money advice",
    "help with my grandsons school fees",
    "visiting my grandchildren in australia",
    "fire risk assessment for my home",
    "electric fire in my flat broken",
    "open fire chimney sweep",
    "set up fire alarm in my house",
    "throwing axe club",
    "my lips are dry",
    "i feel hopeless with computers",
    "kill time in the library",
    "help with my dads pension",
    "my daughter manages my money as my appointee",
    "my son does my shopping with my card",
    "my son does the post office run for me",
    "support worker jobs",
    "home help for my mum",
    "supported living for my son",
    "my son keeps my dad warm in bed",
    "my son is moving in with his girlfriend",
    "my nephew pesters me about football",
    "help filling in forms for my dad",
    # look-alikes of the second round (2026-12-01): rap, photos of children, pensions, unpaid
    # work, injuries and games between relatives, in-laws, touching things, passports
    "printing photos of my grandchildren",
    "online safety course for kids",
    "pension advice for my mum",
    "work experience for disabled adults",
    "volunteer work unpaid",
    "rap workshop",
    "dad and kids group",
    "touch typing",
    "rap class",
    "rap music",
    "rapped on the door",
    "he rapped on the door",
    "my son loves rap",
    "my son is getting into rap",
    "got rapped on the knuckles at work",
    "rap battle for teenagers",
    "she was rapping at the talent show",
    "learn to rap",
    "how many tablets can i take in a day",
    "how many paracetamol can i take for a headache",
    "how many tablets should i take",
    "how long does it take for my tablets to work",
    "how much medicine does my dog need",
    "which painkillers are best for back pain",
    "my mother in law hurt her back",
    "my mum hurt her back",
    "my son hit his head",
    "my daughter beat my son at chess",
    "my daughter pushes my mum in her wheelchair",
    "my sister in law is coming to visit",
    "my son got hit by a ball at school",
    "my in laws are visiting",
    "my dad had a heart attack, my mum told me",
    "teacher asked for photos of my son for the school website",
    "online meet up group for parents",
    "my grandson set up video calls so i can see photos",
    "my son collects his nans pension for her",
    "my daughter helps my mum with her pension",
    "my bike was stolen by my neighbours",
    "unpaid carer support",
    "forced to work from home",
    "make money from home",
    "my boss made me work overtime for free",
    "slavery history exhibition",
    "passport photo",
    "renew my passport",
    "landlord needs a copy of my passport",
    "human trafficking awareness course",
    "my daughter wants to post photos on instagram",
    "my kids play roblox online with their friends",
    "my dad touched her hand",
    "my son keeps a secret diary",
    "secret santa for the kids club",
    "working for free as a volunteer",
    "making friends at work",
    "my son is making a video game",
    "my daughter touched the hot oven",
    "my son was robbed on the bus",
    "my dad hit the jackpot at bingo",
    "my son bit my daughter at nursery",
    "my nephew takes my nan to bingo",
    "photos of my kids for a passport",
    "my son said his dad hurt his back",
    "pension credit for my dad with dementia",
    "my son in law hurt his back",
    "my daughter says she was hurt playing football",
    "how many pills do i take a day",
    "which tablets kill head lice",
    "how many tablets would it take to lower my cholesterol",
    "fatal attraction film club",
    "my brother beat my mum at scrabble",
    "my uncle hit my car",
    "my mum hit my dads car reversing",
    "someone asked my daughter for a photo at the event",
    "safe online gaming for kids",
    "my son wants to meet friends from his game",
    "touch rugby for kids",
    "rap sheet",
    "gift wrapping",
    "my son takes my pension to the post office",
    "unpaid internship",
    "making work pay",
    "my employer asked for my passport",
    "made redundant",
    "my daughter raps in a group",
    "my mum with dementia lost her purse",
    "slavery remembrance day",
    "my son hit his sister by accident",
]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


@pytest.mark.parametrize(("query", "kinds"), CRISIS, ids=[q for q, _ in CRISIS])
def test_crisis_phrasing_is_found_with_its_kinds(query: str, kinds: set[str]) -> None:
    found = crisis_kinds(query)
    assert kinds <= found, f"{query!r}: expected {sorted(kinds)}, found {sorted(found)}"


@pytest.mark.parametrize("query", NEUTRAL)
def test_ordinary_search_raises_no_alarm(query: str) -> None:
    assert crisis_kinds(query) == frozenset()


def test_the_sets_are_big_enough_and_every_kind_is_covered() -> None:
    assert len(CRISIS) >= 50
    assert len(NEUTRAL) >= 50
    covered = set().union(*(kinds for _, kinds in CRISIS))
    assert covered == set(CRISIS_KINDS)


def test_word_order_filler_and_case_do_not_matter() -> None:
    base = crisis_kinds("my partner hits me")
    assert crisis_kinds("HITS ME, MY PARTNER DOES") == base
    assert crisis_kinds("my partner, he really hits me a lot") == base
    assert crisis_kinds("my  partner   keeps hitting me!!") == base


def test_apostrophes_of_every_kind_are_ignored() -> None:
    for text in ("life isn't worth living", "life isn’t worth living", "life isnt worth living"):
        assert crisis_kinds(text) == {SUICIDE}


def test_a_real_word_is_not_bent_into_a_crisis_word() -> None:
    # The search's old spelling fix turned "harming" into "hearing"; here, the reverse
    # must not happen either: ordinary words one letter from a crisis word stay themselves.
    for query in ("hearing", "farming", "self farming", "violet", "tension", "refugee", "sitting"):
        assert crisis_kinds(query) == frozenset(), query


def test_no_word_in_the_hubs_own_texts_raises_an_alarm_on_its_own() -> None:
    """Every word of the needs, the sample directory and the Open Referral examples, alone.

    These are the ordinary words visitors meet on screen; if one of them alone showed the
    crisis panel, a visitor retyping what they read would be alarmed for nothing.
    """
    texts: list[str] = []
    for name in ("needs.json", "directory.sample.json", "taxonomy_map.json"):
        texts.append(bundled_file(name).read_text(encoding="utf-8"))
    for path in sorted(bundled_file("openreferral").rglob("example*.json")):
        texts.append(path.read_text(encoding="utf-8"))
    # Words that are themselves crisis words, which the sample rightly mentions.
    expected = {
        "999",
        "refuge",
        "samaritans",
        "stalking",
        "suicidal",
        "suicide",
        "overdose",
        "rape",
        "fgm",
    }
    words = {word for text in texts for word in _words(text)}
    fired = sorted(word for word in words if crisis_kinds(word) and word not in expected)
    assert fired == []


def test_checking_a_query_takes_well_under_a_millisecond() -> None:
    queries = [q for q, _ in CRISIS] + NEUTRAL
    for query in queries:
        crisis_kinds(query)  # warm the stem cache, as a running kiosk has
    start = time.perf_counter()
    for _ in range(5):
        for query in queries:
            crisis_kinds(query)
    per_query = (time.perf_counter() - start) / (5 * len(queries))
    assert per_query < 0.001, f"{per_query * 1e6:.0f} µs per query"


def test_the_index_finds_what_checking_every_phrase_finds() -> None:
    # Each phrase is filed under one slot only (to keep "my" and "me" from waking every
    # phrase); a phrase must still fire exactly when all its words are there.
    phrases = load_crisis_phrases()
    for query in [q for q, _ in CRISIS] + NEUTRAL + [q for q, _ in MEANT] + EVERYDAY:
        words = phrases._word_keys(query)
        keys = phrases._keys(query)
        every = {
            phrase.kind
            for phrase in phrases.phrases
            if all(not slot.isdisjoint(keys) for slot in phrase.slots)
            and phrase.unless.isdisjoint(keys)
            and (not phrase.separate or _fills_apart(phrase.slots, words))
            and not any(_has_run(run, words) for run in phrase.unless_seq)
            and (not phrase.with_seq or any(_has_run(run, words) for run in phrase.with_seq))
        }
        assert crisis_kinds(query) == every, query


def test_a_separate_phrase_needs_a_word_of_its_own_for_each_slot(tmp_path: Path) -> None:
    # "@kin hits my @kin": one relative filling both slots is someone hurt, not someone
    # hurting a relative ("my son hit his head").
    doc = _phrases_doc(
        fuzzy=[],
        groups={"kin": ["son", "daughter", "mum"]},
        kinds={DOMESTIC: {"phrases": [{"words": "@kin hits my @kin", "separate": True}]}},
    )
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    phrases = load_crisis_phrases(path)
    assert crisis_kinds("my son hits my daughter", phrases) == {DOMESTIC}
    assert crisis_kinds("my daughter, my mum hits her", phrases) == {DOMESTIC}
    assert crisis_kinds("my son hit his head", phrases) == frozenset()
    assert crisis_kinds("my son hit my son", phrases) == {DOMESTIC}  # two words, one name
    doc["kinds"] = {DOMESTIC: {"phrases": [{"words": "@kin hits my @kin"}]}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert crisis_kinds("my son hit his head", load_crisis_phrases(path)) == {DOMESTIC}


def test_a_long_pasted_text_is_read_only_so_far() -> None:
    assert crisis_kinds("lunch club " * 5000) == frozenset()


# --- the phrases file ----------------------------------------------------------------


def test_the_phrases_file_explains_how_staff_review_it() -> None:
    data = json.loads(bundled_file("crisis_phrases.json").read_text(encoding="utf-8"))
    about = " ".join(data["about"])
    assert "review" in about and "tests/unit/test_crisis.py" in about
    assert set(data["kinds"]) == set(CRISIS_KINDS)


def _phrases_doc(**changes: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "groups": {"partner": ["husband", "wife"]},
        "fuzzy": ["domestic"],
        "kinds": {DOMESTIC: {"phrases": ["domestic abuse", "@partner hits me"]}},
    }
    doc.update(changes)
    return doc


def test_a_phrases_file_of_our_own_is_used(tmp_path: Path) -> None:
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(_phrases_doc()), encoding="utf-8")
    phrases = load_crisis_phrases(path)
    assert crisis_kinds("my wife hits me", phrases) == {DOMESTIC}
    assert crisis_kinds("domestc abuse", phrases) == {DOMESTIC}
    assert crisis_kinds("lunch club", phrases) == frozenset()


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (_phrases_doc(kinds={"sadness": {"phrases": ["sad"]}}), "unknown kind 'sadness'"),
        (_phrases_doc(kinds={DOMESTIC: {"phrases": ["@nobody hits"]}}), "no group '@nobody'"),
        (_phrases_doc(kinds={DOMESTIC: {"phrases": []}}), 'needs a list of "phrases"'),
        (_phrases_doc(kinds={DOMESTIC: {"phrases": [""]}}), "the phrase is empty"),
        (_phrases_doc(kinds={DOMESTIC: {"phrases": [{"words": 3}]}}), "a phrase is a string"),
        (
            _phrases_doc(kinds={DOMESTIC: {"phrases": [{"words": "a b", "separate": "yes"}]}}),
            '"separate": true',
        ),
        (
            _phrases_doc(kinds={DOMESTIC: {"phrases": ["hits me"], "needs": "safety"}}),
            '"needs" must be a list of need ids',
        ),
        (
            _phrases_doc(kinds={DOMESTIC: {"phrases": ["hits me"], "needs": ["safety", 3]}}),
            '"needs" must be a list of need ids',
        ),
        (_phrases_doc(fuzzy=["hit"]), "must be one word of 6+ letters"),
        (_phrases_doc(fuzzy=["bicycle"]), "is in no phrase"),
        (_phrases_doc(groups={"a": ["@a"]}, kinds={DOMESTIC: {"phrases": ["@a"]}}), "contains"),
        ([], 'expected an object with "kinds"'),
    ],
)
def test_a_wrong_phrases_file_says_where_and_what(doc: object, message: str) -> None:
    with pytest.raises(CrisisPhrasesError, match=re.escape(message)):
        parse_crisis_phrases(doc, "phrases.json")


def test_a_missing_or_broken_phrases_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CrisisPhrasesError, match="cannot read"):
        load_crisis_phrases(tmp_path / "nothing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CrisisPhrasesError, match="not valid JSON"):
        load_crisis_phrases(broken)


# --- which lines, in which order -------------------------------------------------------


def _ids(query: str) -> list[str]:
    return [line.id for line in urgent_lines_for(crisis_kinds(query), load_urgent())]


def test_no_crisis_no_lines() -> None:
    assert urgent_lines_for(frozenset(), load_urgent()) == []
    assert _ids("lunch club") == []


def test_danger_now_puts_999_first() -> None:
    ids = _ids("my friend took too many pills")
    assert ids[0] == "emergency-999"
    assert ids.index("samaritans") > ids.index("emergency-999")


def test_suicide_gets_samaritans_first_and_never_999_unless_danger() -> None:
    ids = _ids("i want to end my life")
    assert ids[:2] == ["samaritans", "shout"]
    assert "emergency-999" not in ids
    assert "nhs-111-mental-health" in ids


def test_each_kind_gets_its_specialist_lines_before_the_lines_for_everyone() -> None:
    cases = {
        "my partner hits me": ["national-domestic-abuse-helpline", "mens-advice-line"],
        "worried about a child": ["childline", "nspcc"],
        "i was raped": ["rape-crisis"],
        "my carer takes my pension": ["hourglass"],
    }
    for query, specialists in cases.items():
        ids = _ids(query)
        assert ids[: len(specialists)] == specialists, query
        assert "samaritans" in ids[len(specialists) :], query


def test_a_parent_asking_about_self_harm_gets_the_child_lines_then_samaritans() -> None:
    ids = _ids("my son is self harming")
    assert ids[:2] == ["childline", "nspcc"]
    assert ids.index("samaritans") > 1


# --- the urgent lines file -----------------------------------------------------------


REQUIRED_NUMBERS = {
    "emergency-999": "999",
    "nhs-111-mental-health": "111",
    "samaritans": "116 123",
    "shout": "85258",
    "national-domestic-abuse-helpline": "0808 2000 247",
    "childline": "0800 1111",
    "nspcc": "0808 800 5000",
    "rape-crisis": "0808 500 2222",
    "hourglass": "0808 808 8141",
    "mens-advice-line": "0808 8010 327",
}


def test_every_required_line_is_there_with_its_number_source_and_kinds() -> None:
    urgent = load_urgent()
    by_id = {line.id: line for line in urgent.lines}
    for line_id, number in REQUIRED_NUMBERS.items():
        line = by_id[line_id]
        assert number in line.how, line_id
        assert line.source.startswith("https://"), line_id
        assert line.kinds, line_id
    served = {kind for line in urgent.lines for kind in line.kinds}
    assert set(CRISIS_KINDS) <= served
    assert "option 2" in by_id["nhs-111-mental-health"].how


def test_the_urgent_file_says_what_was_confirmed_and_what_was_not() -> None:
    about = " ".join(load_urgent().about or [])
    assert "NOT confirmed" in about
    for line in load_urgent().lines:
        if line.checked is None:
            assert line.name.split()[0] in about, line.id


def _local(tmp_path: Path, lines: list[dict[str, object]]) -> Path:
    (tmp_path / "urgent.local.json").write_text(json.dumps({"lines": lines}), encoding="utf-8")
    return tmp_path


LOCAL_LINE: dict[str, object] = {
    "id": "brent-out-of-hours",
    "name": "Brent social care, out of hours",
    "how": "Call 020 8863 5250",
    "when": "Evenings, nights and weekends",
    "kinds": [CHILD, ADULT],
    "source": "https://www.brent.gov.uk/",
    "checked": "2026-11-30",
}


def test_a_hubs_own_lines_come_after_the_national_ones(tmp_path: Path) -> None:
    urgent = load_urgent_help(_local(tmp_path, [LOCAL_LINE]))
    assert urgent.lines[-1].id == "brent-out-of-hours"
    ids = [line.id for line in urgent_lines_for({CHILD}, urgent)]
    assert ids[:3] == ["childline", "nspcc", "brent-out-of-hours"]


def test_no_local_file_means_the_national_lines(tmp_path: Path) -> None:
    assert load_urgent_help(tmp_path) == load_urgent()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{**LOCAL_LINE, "id": "samaritans"}], "two urgent lines have the id 'samaritans'"),
        ([{**LOCAL_LINE, "kinds": ["sadness"]}], "kinds"),
        ([{**LOCAL_LINE, "source": "brent.gov.uk"}], "source"),
        ([{**LOCAL_LINE, "checked": "last week"}], "checked"),
    ],
)
def test_a_wrong_local_file_is_refused_naming_it(
    tmp_path: Path, lines: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(NeedsFileError, match=re.escape(message)) as caught:
        load_urgent_help(_local(tmp_path, lines))
    assert "urgent.local.json" in str(caught.value)


def test_lines_unchecked_for_six_months_or_ever_are_due(tmp_path: Path) -> None:
    old = {**LOCAL_LINE, "checked": "2026-05-31"}
    urgent = load_urgent_help(_local(tmp_path, [old]))
    due = urgent_lines_to_check(urgent, date(2026, 12, 1))
    due_ids = [line.id for line in due]
    never = [line.id for line in urgent.lines if line.checked is None]
    assert due_ids[: len(never)] == sorted(
        never, key=lambda i: next(x.name.casefold() for x in urgent.lines if x.id == i)
    )
    assert due_ids[len(never) :] == ["brent-out-of-hours"]
    # Exactly six months is not yet "more than six months".
    fresh = {**LOCAL_LINE, "checked": "2026-06-01"}
    urgent = load_urgent_help(_local(tmp_path, [fresh]))
    assert "brent-out-of-hours" not in [
        line.id for line in urgent_lines_to_check(urgent, date(2026, 12, 1))
    ]


def test_urgent_help_model_keeps_ids_unique() -> None:
    line = load_urgent().lines[0].model_dump(mode="json")
    with pytest.raises(ValueError, match="two urgent lines"):
        UrgentHelp.model_validate({"last_checked": "2026-12-01", "lines": [line, line]})


# --- privacy: crisis searches are counted by kind, never kept as words -----------------


def test_the_unmet_log_refuses_crisis_words_and_counts_go_by_kind(tmp_path: Path) -> None:
    from hub.report_output import report_document
    from hub.reports import top_unmet_searches
    from hub.storage import HubStore
    from hub.sync import IMPORTED_UNMET
    from hub.unmet import (
        count_urgent_search,
        log_unmet_search,
        unmet_searches,
        urgent_counts,
        urgent_totals,
    )

    day = date(2026, 12, 1)
    with HubStore.open(tmp_path / "hub") as store:
        assert log_unmet_search(store, "I feel suicidal", day) is None
        assert log_unmet_search(store, "ukulele orchestra", day) == "ukulele orchestra"
        assert count_urgent_search(store, {DOMESTIC, SUICIDE}, day) == [DOMESTIC, SUICIDE]
        assert count_urgent_search(store, {DOMESTIC}, day) == [DOMESTIC]
        assert count_urgent_search(store, {"sadness"}, day) == []
        assert count_urgent_search(store, {SUICIDE}, date(2026, 11, 1)) == [SUICIDE]
        # Words stored by an older version, and words from another hub's bundle, are
        # never shown or sent on.
        store.collection("unmet_searches").put(
            "2026-12-01|kill myself", {"text": "kill myself", "day": "2026-12-01", "count": 1}
        )
        store.collection(IMPORTED_UNMET).put(
            "x", {"hub_id": "other", "text": "my partner hits me", "day": "2026-12-01", "count": 2}
        )
        assert [u.text for u in unmet_searches(store)] == ["ukulele orchestra"]
        assert [row.text for row in top_unmet_searches(store)] == ["ukulele orchestra"]
        assert [(c.day, c.kind, c.count) for c in urgent_counts(store, since=day)] == [
            (day, DOMESTIC, 2),
            (day, SUICIDE, 1),
        ]
        assert urgent_totals(store) == {DOMESTIC: 2, SUICIDE: 2}
        document = report_document(
            store, since=day, until=None, by="need", now=datetime(2026, 12, 1, 12, tzinfo=UTC)
        )
        assert document["urgent_searches"] == [
            {"kind": DOMESTIC, "count": 2},
            {"kind": SUICIDE, "count": 1},
        ]
        assert {line["id"] for line in document["urgent_lines_to_check"]} == {
            line.id for line in load_urgent().lines if line.checked is None
        }
        files = " ".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in (tmp_path / "hub").rglob("*.json")
        )
        assert "suicidal" not in files.casefold()


# --- how the matcher reads words it does not know, and runs that make a phrase ordinary


def test_a_word_that_is_no_word_at_all_is_read_as_the_crisis_word_it_slips_from() -> None:
    # Not in the short "fuzzy" list: any phrase word forgives one slip in a non-word.
    assert crisis_kinds("my boyfrend hurts me") == {DOMESTIC}
    assert crisis_kinds("self harmimg") == {SUICIDE}
    # A real word is never bent into a crisis word: "farming" stays "farming".
    assert crisis_kinds("self farming") == frozenset()
    assert crisis_kinds("my carer hurts me") == {ADULT}
    assert crisis_kinds("cater hurts me") == frozenset()  # "cater" is a word, not "carer"


def test_a_run_named_in_unless_seq_keeps_the_phrase_silent(tmp_path: Path) -> None:
    doc = _phrases_doc(
        fuzzy=[],
        groups={"takes": ["takes", "took"], "money": ["bank", "money"]},
        kinds={
            ADULT: {
                "phrases": [{"words": "carer @takes my @money", "unless_seq": ["@takes me|us to"]}]
            }
        },
    )
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    phrases = load_crisis_phrases(path)
    assert crisis_kinds("my carer takes my bank card", phrases) == {ADULT}
    assert crisis_kinds("my carer takes me to the bank", phrases) == frozenset()
    # Only side by side and in order: the same words apart do not make it ordinary.
    assert crisis_kinds("me to say: my carer took my money", phrases) == {ADULT}
    assert crisis_kinds("to me my carer took my money", phrases) == {ADULT}


def test_a_word_written_with_equals_matches_only_that_form(tmp_path: Path) -> None:
    doc = _phrases_doc(fuzzy=[], kinds={SUICIDE: {"phrases": ["want =die"]}})
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    phrases = load_crisis_phrases(path)
    assert crisis_kinds("i want to die", phrases) == {SUICIDE}
    assert crisis_kinds("my wife died, i want to talk", phrases) == frozenset()
    assert crisis_kinds("my wife is dying, i want to talk", phrases) == frozenset()
    doc["kinds"] = {SUICIDE: {"phrases": ["want die"]}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    # Without "=", "die" is every form but the past (see test_crisis_tense.py): "dying" too.
    assert crisis_kinds("my wife is dying, i want to talk", load_crisis_phrases(path)) == {SUICIDE}


def test_a_number_from_ten_counts_as_many() -> None:
    assert crisis_kinds("i took 20 paracetamol") >= {DANGER, SUICIDE}
    assert crisis_kinds("i took 2 paracetamol") == frozenset()
    assert crisis_kinds("999") == {DANGER}


def test_an_everyday_saying_counts_for_no_phrase(tmp_path: Path) -> None:
    doc = _phrases_doc(
        fuzzy=[],
        kinds={SUICIDE: {"phrases": ["want =die", "want dead"]}},
        everyday=["die|died|dying|dead laughing|laughter"],
    )
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    phrases = load_crisis_phrases(path)
    assert crisis_kinds("i want to die", phrases) == {SUICIDE}
    assert crisis_kinds("wanted to die laughing at the comedy night", phrases) == frozenset()
    # Only its own words are dropped, and only side by side: the wish elsewhere still counts.
    assert crisis_kinds("died laughing, but now i want to die", phrases) == {SUICIDE}
    assert crisis_kinds("i want to die, nothing makes me laughing", phrases) == {SUICIDE}
    doc["everyday"] = "died laughing"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CrisisPhrasesError, match="everyday"):
        load_crisis_phrases(path)


def test_a_phrase_with_runs_needs_one_of_them_side_by_side(tmp_path: Path) -> None:
    doc = _phrases_doc(
        fuzzy=[],
        kinds={SUICIDE: {"phrases": [{"words": "wish dead", "with_seq": ["i was|were dead"]}]}},
    )
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    phrases = load_crisis_phrases(path)
    assert crisis_kinds("i wish i was dead", phrases) == {SUICIDE}
    assert crisis_kinds("my wife is dead and i wish i were dead too", phrases) == {SUICIDE}
    # The words without the run: grief, not a wish to die.
    assert crisis_kinds("my husband is dead, i wish i was with him", phrases) == frozenset()
    doc["kinds"] = {SUICIDE: {"phrases": [{"words": "wish dead", "with_seq": [" "]}]}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CrisisPhrasesError, match="with_seq"):
        load_crisis_phrases(path)


def test_a_child_who_says_their_age_is_not_given_the_older_peoples_line() -> None:
    for query in [
        "im 12 and my mum hits me",
        "my dad hits me when he is drunk and im 14",
        "i am 9 and my mum hurts me",
    ]:
        found = crisis_kinds(query)
        assert CHILD in found and ADULT not in found, query
    assert ADULT in crisis_kinds("my son hits my mum, she is 80")
