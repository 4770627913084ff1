<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>kiln::CellWidget</name>
    <message>
        <location filename="../ui/cellwidget.cpp" line="60"/>
        <source>not run yet</source>
        <translation>noch nicht ausgeführt</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="111"/>
        <source>Error (line %1): %2</source>
        <translation>Fehler (Zeile %1): %2</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="111"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="127"/>
        <source>queued</source>
        <translation>in der Warteschlange</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="133"/>
        <source>running…</source>
        <translation>läuft…</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="142"/>
        <source>[%1] done in %2 ms</source>
        <translation>[%1] fertig in %2 ms</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="145"/>
        <source>[%1] error</source>
        <translation>[%1] Fehler</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="148"/>
        <source>[%1] interrupted</source>
        <translation>[%1] unterbrochen</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="151"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>kiln::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="38"/>
        <location filename="../ui/mainwindow.cpp" line="67"/>
        <source>Runtime: idle</source>
        <translation>Laufzeit: bereit</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="68"/>
        <source>Runtime restarted</source>
        <translation>Laufzeit neu gestartet</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="71"/>
        <source>Untitled notebook</source>
        <translation>Unbenanntes Notizbuch</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="82"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="83"/>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="85"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="90"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="93"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="94"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="96"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="101"/>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="102"/>
        <source>Run &amp;All</source>
        <translation>&amp;Alle ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="104"/>
        <source>&amp;Interrupt</source>
        <translation>&amp;Unterbrechen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="106"/>
        <source>&amp;Restart Runtime</source>
        <translation>Laufzeit &amp;neu starten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="108"/>
        <source>Notebook</source>
        <translation>Notizbuch</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="123"/>
        <source>Cannot open notebook</source>
        <translation>Notizbuch kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="167"/>
        <source>Cannot save notebook</source>
        <translation>Notizbuch kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="171"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="177"/>
        <source>Save notebook</source>
        <translation>Notizbuch speichern</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="178"/>
        <source>Kiln notebooks (*.kiln.md)</source>
        <translation>Kiln-Notizbücher (*.kiln.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="191"/>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="192"/>
        <source>Save the changes to this notebook?</source>
        <translation>Änderungen an diesem Notizbuch speichern?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="203"/>
        <source>Open notebook</source>
        <translation>Notizbuch öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="204"/>
        <source>Kiln notebooks (*.kiln.md);;Markdown (*.md)</source>
        <translation>Kiln-Notizbücher (*.kiln.md);;Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="247"/>
        <source>Runtime: busy</source>
        <translation>Laufzeit: beschäftigt</translation>
    </message>
</context>
</TS>
