NotebaseSearch.add("docs","",{"dates":"ASlA","first":739026,"lang":"BAB","langs":["en","ko"],"lens":"060b0a0c0f19","type":"210","types":["paper","conference","tip"],"where":"ABAAAC"});
