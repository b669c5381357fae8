NotebaseSearch.add("tags","",{"git":"D","physics":"B","tools":"D","workshop":"C","정리":"B"});
