"""Crisis detection that generalises: phrasings written from what each kind means.

These were written before the matcher was widened (2026-12-01), from how the helplines
describe the warning signs and the words people use (Samaritans: hopelessness, feeling a
burden or trapped, saying goodbye, wanting to stop existing; Refuge: control of money,
phone, clothes and friends, jealousy, put-downs, violence; NSPCC: a child hurt, hungry,
left alone, afraid of an adult, given gifts and secrets, missing; Rape Crisis: sex without
consent, too drunk to consent, images shared or threatened; Hourglass: an older or disabled
person's money taken, pressure to sign, neglect, rough handling; danger now: a weapon,
someone at the door, not breathing, a fit, heavy bleeding). They are said the ways people
at a kiosk say them: little English, typos, about someone else ("my son says he..."), with
words missing. None is taken from the evaluation sets.

The neutral ones share words with crisis phrasings and must stay silent. Together with
tests/unit/test_crisis.py they keep holding as staff extend data/crisis_phrases.json.
"""

from __future__ import annotations

import pytest

from hub.crisis import crisis_kinds
from tests.crisis_kinds import ADULT, CHILD, DANGER, DOMESTIC, SEXUAL, SLAVERY, SUICIDE

MEANT: list[tuple[str, set[str]]] = [
    # suicide and self-harm: hopelessness, burden, trapped, goodbye, stopping existing
    ("i feel like everyone would be happier if i was gone", {SUICIDE}),
    ("i dont see the point in anything anymore", {SUICIDE}),
    ("i hate my life and want it to stop", {SUICIDE}),
    ("i keep thinking about death all the time", {SUICIDE}),
    ("i have been looking up ways to die", {SUICIDE}),
    ("my son says he wants to die", {SUICIDE}),
    ("my husband keeps saying he wants to end it all", {SUICIDE}),
    ("i no want live no more", {SUICIDE}),
    ("im going to take all my tablets tonight", {SUICIDE}),
    ("i been burning my arms with a lighter", {SUICIDE}),
    ("i scratch my skin till it bleeds", {SUICIDE}),
    ("self harmimg again", {SUICIDE}),
    ("sucide thoughts", {SUICIDE}),
    ("my friend posted goodbye messages and gave her things away", {SUICIDE}),
    ("nobody would notice if i was gone", {SUICIDE}),
    ("i feel like a burden on my family", {SUICIDE}),
    ("so tired of everything i just want to stop existing", {SUICIDE}),
    ("my daughter has cuts on her arms she tries to hide", {SUICIDE}),
    ("thinking of killing my self", {SUICIDE}),
    ("i wana die", {SUICIDE}),
    ("life is not worth it anymore", {SUICIDE}),
    ("my brother tried to hang himself", {SUICIDE}),
    # domestic abuse: control, jealousy, put-downs, violence by a partner or family
    ("my husband tells me what to wear and who i can talk to", {DOMESTIC}),
    ("my boyfriend strangled me last week", {DOMESTIC}),
    ("my partner pushed me down the stairs", {DOMESTIC}),
    ("my wife hit me with a pan", {DOMESTIC}),
    ("he takes all my money and gives me nothing for food", {DOMESTIC}),
    ("my husband is jealous and never lets me go out", {DOMESTIC}),
    ("husband angry all time he hit me", {DOMESTIC}),
    ("im frightened of my partner", {DOMESTIC}),
    ("my ex keeps turning up at my work and threatening me", {DOMESTIC}),
    ("my boyfrend hurts me", {DOMESTIC}),
    ("my partner puts me down all the time", {DOMESTIC}),
    ("he broke my phone so i cant call anyone", {DOMESTIC}),
    ("my daughters husband beats her", {DOMESTIC}),
    ("my mums boyfriend hits her", {DOMESTIC}),
    # a child at risk: hurt, afraid, hungry, left, gifts and secrets, missing, exploited
    ("the kid next door always has bruises and looks scared", {CHILD}),
    ("my step dad hits me", {CHILD}),
    ("my parents hit me and i am 14", {CHILD}),
    ("a man at the park gave my daughter presents and told her not to tell", {CHILD}),
    ("my 15 year old has a much older boyfriend", {CHILD}),
    ("my son keeps going missing and comes back with new phones and cash", {CHILD}),
    ("my mum drinks and leaves us with no food", {CHILD}),
    ("my dad locks me in my room and doesnt feed me", {CHILD}),
    ("i think my nephew is being abused", {CHILD}),
    ("the children upstairs are screaming and being hit", {CHILD}),
    # sexual violence: without consent, too drunk, images, groping
    ("i was sexually asaulted at a party", {SEXUAL}),
    ("he made me do sexual things i didnt want", {SEXUAL}),
    ("i was too drunk to say no and he had sex with me", {SEXUAL}),
    ("my ex is sharing naked photos of me", {SEXUAL}),
    ("a man is threatening to post my nudes unless i pay", {SEXUAL}),
    ("someone grabbed my breasts on the tube", {SEXUAL}),
    ("he wouldnt stop when i said no", {SEXUAL}),
    ("i was attacked sexually", {SEXUAL}),
    # abuse of an older or disabled adult: money, signing, neglect, rough handling
    ("my mums carer hits her", {ADULT}),
    ("my dads carer is stealing his money", {ADULT}),
    ("my son forces my husband with dementia to sign cheques", {ADULT}),
    ("the care home dont give my nan her medication", {ADULT}),
    ("my granny is scared of her carer", {ADULT}),
    ("my brother is disabled and his friends take all his benefits", {ADULT}),
    ("my carer shouts at me and takes my pension", {ADULT}),
    ("my elderly dad is left in dirty clothes for days", {ADULT}),
    ("my daughter in law is stealing from my mum", {ADULT}),
    ("they took my passport and make me work for no money", {SLAVERY}),
    # danger now: a weapon, at the door, breathing, fits, bleeding, overdose
    ("my neighbour has a knife and says hell kill me", {DANGER}),
    ("someone is banging on my door shouting they will kill me", {DANGER}),
    ("my husband has taken lots of pills and wont wake", {DANGER}),
    ("my friend is fitting and wont stop", {DANGER}),
    ("my grandad cant breath", {DANGER}),
    ("there is a man with a gun outside", {DANGER}),
    ("my son took a overdose", {DANGER, SUICIDE}),
    ("my mum fell and hit her head and is bleeding a lot", {DANGER}),
    ("help someone is attacking my mum", {DANGER}),
]

# A second set, written from the same meanings after the first widening of the matcher
# and before the second (to see whether the first generalised: it found 24 of these 41).
MEANT += [
    ("me no want live", {SUICIDE}),
    ("i am thinking suicide", {SUICIDE}),
    ("my mum talks about killing herself", {SUICIDE}),
    ("my friend said she is going to kill herself tonight", {SUICIDE}),
    ("i feel like ending it", {SUICIDE}),
    ("i feel empty and want to die", {SUICIDE}),
    ("i have been saving up my pills", {SUICIDE}),
    ("i cant stop crying and want to end it", {SUICIDE}),
    ("i self harm", {SUICIDE}),
    ("suicidle", {SUICIDE}),
    ("i want to stab myself", {SUICIDE}),
    ("i wish i could go to sleep forever", {SUICIDE}),
    ("there is no hope for me", {SUICIDE}),
    ("im a waste of space", {SUICIDE}),
    ("wish i was never born", {SUICIDE}),
    ("he hurt me again last night", {DOMESTIC}),
    ("he forces me to give him my benefits", {DOMESTIC}),
    ("my partner spits on me", {DOMESTIC}),
    ("he threw me against the wall", {DOMESTIC}),
    ("my boyfriend pulls my hair and pins me down", {DOMESTIC}),
    ("my wife headbutted me", {DOMESTIC}),
    ("im being hurt", {DOMESTIC}),
    ("i sleep in the car because i am scared of my husband", {DOMESTIC}),
    ("i am being hit at home", {DOMESTIC}),
    ("my ex is threatening to hurt the kids", {DOMESTIC}),
    ("i am 13 and my dad beats me", {CHILD}),
    ("my son is being forced to sell drugs", {CHILD}),
    ("my daughter is being sexually exploited", {CHILD}),
    ("my mum's new boyfriend scares me", {CHILD}),
    ("my dad touches me at night", {CHILD, SEXUAL}),
    ("i woke up and someone was having sex with me", {SEXUAL}),
    ("someone touched me without asking", {SEXUAL}),
    ("staff at my mums care home are hurting her", {ADULT}),
    ("my dads carer is taking his money", {ADULT}),
    ("someone is stealing from my elderly mum", {ADULT}),
    ("my disabled son is bullied by his carers", {ADULT}),
    ("someone broke into my house and is still inside", {DANGER}),
    ("he is hitting her right now outside", {DANGER}),
    ("my friend took drugs and wont wake up", {DANGER}),
    ("my husband cant breathe properly and his lips are blue", {DANGER}),
    ("i took 20 paracetamol", {DANGER, SUICIDE}),
    # grief and a wish to die together: the wish is still found
    ("since my wife died i want to die", {SUICIDE}),
    ("i feel like dying", {SUICIDE}),
]

# A third set, written from the same meanings after the second widening and before the
# third (the second had found 21 of these 29).
MEANT += [
    ("i dont wanna be alive", {SUICIDE}),
    ("nobody loves me i want to go away forever", {SUICIDE}),
    ("i keep having thoughts of ending my life", {SUICIDE}),
    ("my girlfriend cuts herself", {SUICIDE}),
    ("i feel so low i could just end it", {SUICIDE}),
    ("help me i want die", {SUICIDE}),
    ("i tried to kill myself last year and feel like that again", {SUICIDE}),
    ("my wife slaps me when i talk back", {DOMESTIC}),
    ("partner beat me up", {DOMESTIC}),
    ("he took my bank card and wont give it back my husband", {DOMESTIC}),
    ("i am afraid of my husband he shouts and hits", {DOMESTIC}),
    ("husband no let me go outside", {DOMESTIC}),
    ("my boyfriend keeps threatening me if i leave", {DOMESTIC}),
    ("my uncle keeps touching my daughter", {CHILD}),
    ("the neighbours kids are always dirty and hungry", {CHILD}),
    ("a teacher is texting my son at night", {CHILD}),
    ("my step mum beats me", {CHILD}),
    ("someone forced me to have sex last night", {SEXUAL}),
    ("my boss keeps touching me and i dont want it", {SEXUAL}),
    ("i think my drink was spiked and someone took advantage", {SEXUAL}),
    ("the carer shouts at my mum and slaps her", {ADULT}),
    ("my dad with dementia is left alone without food", {ADULT}),
    ("my nephew is stealing my nans pension", {ADULT}),
    ("my aunt is being neglected by her family", {ADULT}),
    ("my friend is unconscious and wont wake up", {DANGER}),
    ("there is a fight with knives outside", {DANGER}),
    ("my baby swallowed some tablets", {DANGER}),
    ("someone is trying to get in my house", {DANGER}),
    ("my husband collapsed and is not breathing", {DANGER}),
]

# A fourth set, written from the same meanings after the third widening, from the causes of
# what a new independent set (v3 dev) missed; each was run before the fix it led to.
MEANT += [
    # an older person or one with dementia afraid of someone who looks after or visits them
    ("my mum with dementia is scared of her carer", {ADULT}),
    ("my nan with dementia is frightened of her carer", {ADULT}),
    ("my dad with dementia is frightened of the man who comes round", {ADULT}),
    ("my nan is afraid of the woman who visits her every week", {ADULT}),
    ("grandad gets terrified when the carer comes", {ADULT}),
    # forced, said with few words, and no consent
    ("a man forced me, i did not want", {SEXUAL}),
    ("he force me, no consent", {SEXUAL}),
    ("my boyfriend forced me even though i didnt want to", {SEXUAL}),
    ("guy at the party forced me, i said no", {SEXUAL}),
    # an older person's money taken, still found without 'pensioner' standing in
    ("someone is taking my pension", {ADULT}),
    ("my grandson takes my nans pension", {ADULT}),
    ("carers taking money from the pensioners", {ADULT}),
    # a slip of a doubled letter in a carer still reads as a carer
    ("my carrer hits me", {ADULT}),
    # grief and a wish to be dead too: the wish is still found
    ("my wife is dead and i wish i was dead too", {SUICIDE}),
    ("my husband died and i wish i had died with him", {SUICIDE}),
    ("i wish i was dead", {SUICIDE}),
    ("i wish i could just die", {SUICIDE}),
    ("wanted to die last night", {SUICIDE}),
    # thoughts of death that keep coming, also after a loss
    ("i keep thinking about dying", {SUICIDE}),
    ("constantly thinking about being dead", {SUICIDE}),
    ("always think die", {SUICIDE}),
    ("my husband died and now i keep thinking about death", {SUICIDE}),
]

# A fifth set, written from the same meanings after the fourth widening, from the causes of
# what a new independent set (v4 dev) missed; each was run before the fix it led to.
MEANT += [
    # an adult asking a child for pictures is sexual abuse of the child, not only a risk
    # (NSPCC, CEOP: online sexual abuse; asking a child for images is an offence)
    ("a stranger on snapchat keeps asking my son for photos", {CHILD, SEXUAL}),
    ("some guy in a game wants pics of my 12 year old", {CHILD, SEXUAL}),
    ("an older man on instagram asked my niece for selfies", {CHILD, SEXUAL}),
    # a child with injuries who asks that nobody be told (NSPCC: bruises, burns or marks,
    # and a child asking an adult to keep a secret, are signs of abuse)
    ("a boy in my class has bruises and made me promise not to tell", {CHILD}),
    ("my friends son has burns on his hands and asked me to keep it a secret", {CHILD}),
    ("the girl i babysit has bruises on her legs and begged me not to tell anyone", {CHILD}),
    ("my pupil has a black eye and asked me not to tell anyone", {CHILD}),
    ("the little girl next door has burns and wont say how", {CHILD}),
    ("the boy next door has bruises and says dont tell mum", {CHILD}),
    # a child under 16 with an adult partner: a child cannot consent (NSPCC: an older
    # boyfriend or girlfriend is a sign of grooming and sexual exploitation)
    ("my son is 13 and has a girlfriend who is 22", {CHILD, SEXUAL}),
    ("my 15 year old daughter is dating a grown man", {CHILD, SEXUAL}),
    ("my niece is only 12 and going out with a 19 year old", {CHILD, SEXUAL}),
    ("my grandaughter is 14 and her boyfriend is 30", {CHILD, SEXUAL}),
    # no memory of the night, waking somewhere unknown, a sense something was done (Rape
    # Crisis: signs of drug-facilitated sexual assault)
    ("i passed out at a party and think someone did things to me", {SEXUAL}),
    ("woke up in some guys bed with no memory of the night", {SEXUAL}),
    ("blacked out after one drink and woke up in a house i didnt know", {SEXUAL}),
    ("cant remember last night, i feel like somebody did stuff to me", {SEXUAL}),
    ("i think i was drugged, woke up with no memory and my clothes were off", {SEXUAL}),
    # something put in a drink: spiking, which this file counts as sexual violence
    ("a man at a party put something in my drink and i cant remember the rest", {SEXUAL}),
    ("someone slipped something into her drink at the club", {SEXUAL}),
    # suicide named beside a course: still found when it is not the course's name
    ("my son failed his course and now talks about suicide", {SUICIDE}),
    ("i feel suicidal, is there suicide prevention support", {SUICIDE}),
    ("suicide prevention helpline", {SUICIDE}),
    # breathing stopped, with first aid named but no course
    ("my dad stopped breathing, what first aid do i do", {DANGER}),
    ("he cant breathe, where is the first aid kit", {DANGER}),
]

# Everyday kiosk questions that share words with the phrasings above.
EVERYDAY: list[str] = [
    # the brief's look-alikes
    "killing time",
    "dying to try the lunch club",
    "hit the shops",
    "my partner needs a carer",
    "safe place to park",
    # help, not theft or harm (noticed earlier)
    "my carer takes me to the bank",
    "my carer takes me to the bank on fridays",
    "my brothers fight all the time",
    "my kids fight over the tablet",
    "my brother and sister fight over toys",
    "he raps",
    "my son raps at the youth club",
    # our own
    "anything to kill time on a sunday afternoon",
    "my feet are killing me after the walk",
    "id kill for a cup of tea",
    "bored to death at home, any clubs",
    "the heating is broken and im freezing to death",
    "my phone is dying where can i charge it",
    "dead end job, want a career change",
    "dead keen to join the choir",
    "death cafe",
    "my husband died, help with the funeral",
    "help with my dead husbands pension",
    "how to cut my energy bills",
    "self catering holidays for carers",
    "womens self defence workshop",
    "kickboxing class for teenagers",
    "boxing gym for young people",
    "knife and fork club",
    "gun dog training",
    "shooting hoops at the basketball court",
    "hanging baskets workshop",
    "help hanging curtains in my flat",
    "firework display",
    "fire alarm testing in my block",
    "divorce advice",
    "separation and child contact advice",
    "my partner and i argue about money",
    "my husband snores",
    "my wife controls the tv remote",
    "my husband takes me to my hospital appointments",
    "my son takes me to church every sunday",
    "my daughter takes care of my money for me",
    "my grandson helps me with online banking",
    "my carer helps me pay my bills",
    "my mum needs a carer to help her wash",
    "my dad is left alone when i go to work, is there day care",
    "my child is scared of the dark",
    "my son is scared of dogs",
    "kids clubs in the holidays",
    "stay and play for toddlers",
    "repeat prescription for my pills",
    "how many paracetamol can a child have",
    "overdraft advice",
    "overdue library books",
    "suitcase donation",
    "strangers into friends coffee morning",
    "my passport expired, where do i renew",
    "volunteering at the food bank, no pay but good fun",
    "my boss pays me late",
    "im worn out caring for my husband",
    "i cant cope with my garden on my own",
    "laughed till i cried at the comedy night",
    "bungee jump for charity",
    "trampoline park for kids",
    "blood donation session",
    "my sister hit the roof when she saw the bill",
    "we beat the other team at the quiz",
    "pushing my mum in her wheelchair to the park",
    "smashed it at the quiz night",
    "a safe space for teenagers after school",
    "my nan takes her pills with her breakfast",
    "the kids are home alone after school for an hour, any clubs",
    "sexual health clinic",
    "rape seed oil cooking class",
    # look-alikes of the second set
    "saving money on my prescription pills",
    "shoot myself in the foot",
    "i take 12 tablets a day",
    "took 500 mg paracetamol for my back",
    "no hope of getting a council flat",
    "waste of space in my kitchen",
    "brushing my daughters hair, she pulls away",
    "where to keep my pills safe from the kids",
    "i have lost hope of finding a job",
    "someone broke into my shed last night",
    "my mums boyfriend is moving in",
    "i feel like a failure at cooking",
    "kids kicking a ball outside right now",
    "i am being hit by rising bills",
    "thought about ending my gym membership",
    "my husband made me give up smoking",
    "i took 10 minutes to walk here",
    "took 30 of us to the park",
    # grief: someone died (these fired before "=die", found by reading the team's search
    # questions for false alarms)
    "my husband died where can i go",
    "my wife died i want someone to talk to",
    "my mum died last week i want help with the funeral",
    "my dad is dying where can we go for support",
    "my son died and i am going to the grief group",
    "my husband is dying and i want him home",
    "want to die at home, end of life planning",
    "dad died i need to go register the death",
    "my son die i no know where to go",
    "caring for my husband with dementia i need a break",
    # look-alikes of the third set
    "i want to go away forever on holiday",
    "my neighbours kids play football",
    "my neighbours kids are noisy",
    "my son's teacher is calling me tonight",
    "teacher messaging parents about the trip",
    "my mum with dementia left her food out",
    "my baby ate a crayon",
    "how to stop my toddler swallowing batteries",
    "i wanna go to the lunch club",
    "gonna be late",
    "nobody wants me to volunteer",
    "i quit smoking for good",
    "my son is gone for good to australia",
    "trying to get into housing",
    # look-alikes of the fourth set
    "my mum with dementia is scared of the dark",
    "my dad with dementia is frightened of going to hospital",
    "my nan is scared of getting dementia",
    "my nan is scared of coming to the hub on her own",
    "my mum is frightened of the dog that comes round",
    "my boss forced me to work late, i didnt want to",
    "the council forced me to move, i did not want to",
    "my mum forced me to eat my vegetables, i didnt want",
    "forced to sign up for the gym, i said no",
    "he forced me to go to the dentist, i didnt want to",
    "taking my pension early advice",
    "can i take my pension at 55",
    "advice on drawing my pension early",
    "taking out a private pension",
    "my career hurts me",
    "my career is going nowhere, i need help",
    "my career takes all my time",
    "nearly died laughing at the panto",
    "i could have died of embarrassment",
    "a chocolate cake to die for",
    "we wanted to die laughing at bingo",
    "my husband is dead, i wish i could talk to him",
    "my husband died, i wish i could talk to him",
    "my mum is dead and i wish she could see my kids",
    "my wife died i wish i had told her i loved her",
    "my dog is dead, i wish i had more time with him",
    "my husband died, i keep thinking about him",
    "my dad is dying, i keep thinking about him",
    "my son is dead, i keep thinking about him",
    "my mum died last month and i cant stop thinking about her",
    # pictures of a child asked for by a school or club (v4 dev fifth set)
    "the school asked my daughter for photos for the yearbook",
    "the football club wants photos of my son for the newsletter",
    # a child's knocks, talked about openly
    "my son has bruises from rugby, should i tell the coach",
    "my toddler bruises easily, is that normal",
    "my kids have a secret den in the garden",
    "the kids at school have bruises from football and dont tell the teacher",
    # ages and partners that are not a child with an adult
    "been seeing a man for 10 years and my daughter hates him",
    "my son is 14 and seeing a 16 year old girl",
    "my son is 13 and seeing a man at camhs about his anxiety",
    "my daughter is 30 and her boyfriend is 45",
    "i am 25 and my boyfriend is 30",
    # memory and waking, with nobody doing anything to anyone
    "my nan with dementia woke up in a strange room at the care home and didnt remember it",
    "after my operation i woke up in a strange ward and dont remember what they did to me",
    "my dad has one drink and cant remember things, is it his memory",
    "my mum woke up in hospital and doesnt remember the fall",
    "after my operation i dont remember what the surgeon did to me",
    "i cant remember my password, someone help me",
    "memory cafe for people who live alone",
    "my husband with dementia takes his clothes off at night and doesnt remember",
    "i put my tablets in my drink to swallow them",
    "can i put something in my drink to help me sleep",
    # courses that teach helpers about suicide (the course's name, not a person's words)
    "suicide awareness training for staff",
    "suicide prevention course for community volunteers",
    "suicide first aid training at the library",
    "where can i do a suicide prevention workshop",
    # first aid courses that teach what to do when breathing stops
    "cpr course, what to do when someone is not breathing",
    "baby first aid class, what if a baby stops breathing",
    "first aid training on helping someone who cant breathe",
]


@pytest.mark.parametrize(("query", "kinds"), MEANT, ids=[q for q, _ in MEANT])
def test_a_phrasing_written_from_meaning_is_found(query: str, kinds: set[str]) -> None:
    found = crisis_kinds(query)
    assert kinds <= found, f"{query!r}: expected {sorted(kinds)}, found {sorted(found)}"


@pytest.mark.parametrize("query", EVERYDAY)
def test_an_everyday_question_raises_no_alarm(query: str) -> None:
    assert crisis_kinds(query) == frozenset(), query


def test_there_are_enough_of_each() -> None:
    assert len(MEANT) >= 60 and len(EVERYDAY) >= 60
    assert {kind for _, kinds in MEANT for kind in kinds} == {
        SUICIDE,
        DOMESTIC,
        CHILD,
        SEXUAL,
        ADULT,
        DANGER,
        SLAVERY,
    }
