<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>kiln::CellWidget</name>
    <message>
        <location filename="../ui/cellwidget.cpp" line="60"/>
        <source>not run yet</source>
        <translation>未実行</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="111"/>
        <source>Error (line %1): %2</source>
        <translation>エラー (%1 行目): %2</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="111"/>
        <source>Error: %1</source>
        <translation>エラー: %1</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="127"/>
        <source>queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="133"/>
        <source>running…</source>
        <translation>実行中…</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="142"/>
        <source>[%1] done in %2 ms</source>
        <translation>[%1] 完了 (%2 ms)</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="145"/>
        <source>[%1] error</source>
        <translation>[%1] エラー</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="148"/>
        <source>[%1] interrupted</source>
        <translation>[%1] 中断</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="151"/>
        <source>cancelled</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>kiln::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="38"/>
        <location filename="../ui/mainwindow.cpp" line="67"/>
        <source>Runtime: idle</source>
        <translation>ランタイム: 待機中</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="68"/>
        <source>Runtime restarted</source>
        <translation>ランタイムを再起動しました</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="71"/>
        <source>Untitled notebook</source>
        <translation>無題のノートブック</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="82"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="83"/>
        <source>&amp;Open…</source>
        <translation>開く(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="85"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <source>Save &amp;As…</source>
        <translation>名前を付けて保存(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="90"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="93"/>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="94"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="96"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="101"/>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="102"/>
        <source>Run &amp;All</source>
        <translation>すべて実行(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="104"/>
        <source>&amp;Interrupt</source>
        <translation>中断(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="106"/>
        <source>&amp;Restart Runtime</source>
        <translation>ランタイムを再起動(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="108"/>
        <source>Notebook</source>
        <translation>ノートブック</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="123"/>
        <source>Cannot open notebook</source>
        <translation>ノートブックを開けません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="167"/>
        <source>Cannot save notebook</source>
        <translation>ノートブックを保存できません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="171"/>
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="177"/>
        <source>Save notebook</source>
        <translation>ノートブックを保存</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="178"/>
        <source>Kiln notebooks (*.kiln.md)</source>
        <translation>Kiln ノートブック (*.kiln.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="191"/>
        <source>Unsaved changes</source>
        <translation>未保存の変更</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="192"/>
        <source>Save the changes to this notebook?</source>
        <translation>このノートブックへの変更を保存しますか?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="203"/>
        <source>Open notebook</source>
        <translation>ノートブックを開く</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="204"/>
        <source>Kiln notebooks (*.kiln.md);;Markdown (*.md)</source>
        <translation>Kiln ノートブック (*.kiln.md);;Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="247"/>
        <source>Runtime: busy</source>
        <translation>ランタイム: 実行中</translation>
    </message>
</context>
</TS>
